"""Every Japanese word the users read, in one place: labels and message templates.

Identifiers stay English in code, API and audit trail; these tables turn them into the
words staff (事務局) and applicants (申請者) see.
"""

# state: (staff label, applicant label) — SPEC §4
STATE_LABELS: dict[str, tuple[str, str]] = {
    "draft": ("下書き", "作成中"),
    "submitted": ("申請受付", "申請済み（審査待ち）"),
    "under_review": ("審査中", "審査中"),
    "returned": ("差戻し", "修正依頼あり"),
    "awarded": ("交付決定", "交付決定"),
    "rejected": ("不交付決定", "不交付"),
    "withdrawn": ("取下げ", "取下げ"),
    "change_requested": ("変更承認申請中", "変更申請中"),
    "report_submitted": ("実績報告受付", "実績報告済み（確認待ち）"),
    "report_returned": ("実績報告差戻し", "実績報告の修正依頼あり"),
    "confirmed": ("額の確定", "交付額確定"),
    "paid": ("精算済", "交付済み"),
    "published": ("公表済", "公表済み"),
    "cancelled": ("交付決定取消", "交付決定取消"),
}

ACTION_LABELS: dict[str, str] = {
    "create": "作成",
    "edit": "修正",
    "attach": "添付",
    "submit": "申請",
    "withdraw": "取下げ",
    "start_review": "審査開始",
    "return": "差戻し",
    "award": "交付決定",
    "reject": "不交付決定",
    "pay_advance": "概算払",
    "request_change": "変更承認申請",
    "approve_change": "変更承認",
    "deny_change": "変更不承認",
    "submit_report": "実績報告",
    "return_report": "実績報告差戻し",
    "confirm": "額の確定",
    "settle": "精算",
    "publish": "公表",
    "unpublish": "公表取消",
    "cancel": "交付決定取消",
}

ROLE_LABELS: dict[str, str] = {
    "applicant": "申請者（市区町村）",
    "secretariat": "事務局",
    "auditor": "監査",
    "admin": "システム管理者",
}

CATEGORY_LABELS: dict[str, str] = {
    "nature_conservation": "自然環境保護",
    "warming_prevention": "地球温暖化防止",
}

DECLARED_ACTION_LABELS: dict[str, str] = {
    "awareness": "普及啓発",
    "cooperation": "連携体制構築",
    "places_for_action": "行動の場づくり",
}

FIELD_LABELS: dict[str, str] = {
    "fiscal_year": "年度",
    "municipality_code": "団体コード",
    "title": "事業名",
    "category": "事業区分",
    "actions": "３つの行動",
    "summary": "事業概要",
    "project_start": "事業開始日",
    "project_end": "事業終了日",
    "project_cost_yen": "事業費",
    "requested_yen": "申請額",
    "awarded_yen": "交付決定額",
    "decision_date": "決定日",
    "conditions": "交付条件",
    "reason": "理由",
    "amount_yen": "金額",
    "actual_cost_yen": "実績額（事業費）",
    "outcomes": "事業の成果",
    "paid_on": "支払日",
    "completed_on": "事業完了日",
    "public_summary": "公表用の概要",
    "cap_yen": "上限額",
    "budget_yen": "予算額",
    "applications_open": "申請受付開始日",
    "applications_close": "申請受付終了日",
    "allows_advance": "概算払",
    "username": "ユーザー名",
    "password": "パスワード",
    "role": "役割",
    "org_id": "所属財団",
    "email": "メールアドレス",
    "file": "ファイル",
    "limit": "件数",
    "after": "開始位置",
    "state": "状態",
    "org": "財団",
}

MESSAGES: dict[str, str] = {
    # visibility and roles
    "grant_not_found": "助成案件が見つかりません。",
    "wrong_role": "「{action}」は{role}の操作です。",
    "read_only_role": "{role}は助成案件を変更できません。",
    "applicants_only": "申請書の作成と修正は{role}が行います。",
    "not_editable": "「{state}」の申請は修正できません（作成中または修正依頼ありの申請のみ修正できます）。",
    "user_exists": "ユーザー名 {username} はすでに使われています。",
    "unknown_user": "ユーザー {username} は登録されていません。",
    "unknown_org": "団体（財団） {org} は登録されていません。",
    "user_municipality": "申請者（applicant）には市区町村コードが必要で、他の役割には指定できません。",
    "user_org": "事務局（secretariat）には所属財団（org）が必要で、他の役割には指定できません。",
    "login_failed": "ユーザー名またはパスワードが正しくありません。",
    "sign_in_locked": "ログインの失敗が続いたため、しばらく受け付けません。{wait}後にもう一度お試しください。",
    "wait_minutes": "約{minutes}分",
    "wait_seconds": "{seconds}秒",
    "not_authenticated": "ログインが必要です。トークンがないか、期限切れか、取り消されています。",
    "admin_not_grant_actor": "システム管理者は助成案件を扱いません。",
    "admin_only": "この操作はシステム管理者のみが行えます。",
    "auditors_only": "この操作は監査またはシステム管理者のみが行えます。",
    "grant_list_forbidden": "{role}は助成案件の一覧を見られません。",
    "cap_below_committed": (
        "{year}の上限額を {cap} にはできません。すでに {municipality} が {committed} を交付決定済みです。"),
    "budget_below_committed": "{year}の予算額を {budget} にはできません。すでに {committed} を交付決定済みです。",
    "attachment_empty": "ファイルが空です。",
    "attachment_too_large": "ファイルが大きすぎます（上限 {limit}）。",
    "attachment_type": (
        "このファイルの種類は受け付けていません（PDF、JPEG、PNG、XLSX、DOCXのみ。拡張子ではなく中身で判定します）。"),
    "attachment_not_found": "添付ファイルが見つかりません。",
    "unknown_form": "様式第{form}号という様式はありません（1〜9）。",
    "document_not_found": "文書が見つかりません。",
    "unknown_action": "「{action}」という操作はありません。",
    "database_not_ready": "データベースが初期化されていません。先に grants init を実行してください。",
    "database_unreachable": (
        "データベースに接続できないか、処理できませんでした。GRANTS_DATABASE_URL と接続先を確認してください。"),
    # state machine
    "wrong_state": "「{state}」の状態では「{action}」はできません。この状態でできる操作: {allowed}",
    "no_allowed_actions": "なし",
    # input
    "invalid_input": "入力内容に誤りがあります: {problems}",
    "required": "必須です",
    "integer": "整数で入力してください",
    "date": "日付（YYYY-MM-DD）で入力してください",
    "date_range": "{first}から{last}までの日付を入力してください",
    "date_before": "{day}は{what}（{after}）より前の日付です",
    "date_in_future": "{day}は未来の日付です（今日は{today}）",
    "forbidden_character": "使用できない文字（{char}、制御文字など）が含まれています",
    "line_break": "改行は入力できません",
    "min_value": "{limit}以上で入力してください",
    "more_than": "{limit}より大きい値を入力してください",
    "max_value": "{limit}以下で入力してください",
    "too_long": "{limit}文字以内で入力してください",
    "too_short": "{limit}文字以上で入力してください",
    "blank": "空欄にはできません",
    "not_allowed_field": "この操作では指定できない項目です",
    "choice": "次のいずれかを指定してください: {choices}",
    "list": "一覧（配列）で指定してください",
    "duplicate": "同じ値が重複しています",
    "text": "文字列で入力してください",
    "invalid_value": "値が正しくありません",
    "json": "JSONの形式が正しくありません",
    "object": "JSONオブジェクトで指定してください",
    "boolean": "true または false で指定してください",
    "too_many": "指定できる数を超えています",
    "not_found": "見つかりません。",
    "method_not_allowed": "このURLではその操作はできません。",
    "too_large": "送信されたデータが大きすぎます。",
    "http_error": "リクエストを処理できませんでした。",
    "no_change": "変更する項目（申請額、事業名、事業概要、事業終了日、事業費）を1つ以上指定してください",
    # grant rules
    "incomplete": "申請に必要な項目が未入力です: {fields}",
    "period_order": "事業終了日（{end}）が事業開始日（{start}）より前です",
    "period_outside_year": "事業期間は{year}（{first}〜{last}）の中で設定してください",
    "window_outside_year": "{year}の申請受付期間は{first}から{last}までの間で設定してください",
    "completion_outside_year": "事業完了日は{year}（{first}〜{last}）の中で指定してください",
    "submission_day": "申請の受付日",
    "confirmation_day": "額の確定日",
    "project_start_day": "事業開始日",
    "window_not_open": "{year}の申請受付は{open}からです。",
    "window_closed": "{year}の申請受付は{close}で終了しました。",
    "requested_over_cost": "申請額 {requested} は事業費 {cost} を超えられません。",
    "awarded_over_requested": "交付決定額 {awarded} は申請額 {requested} を超えられません。",
    "cap_exceeded": (
        "{municipality}の{year}の上限額 {cap} のうち残りは {left} です。"
        "{action}の金額 {amount} はこれを超えます。"
    ),
    "budget_exceeded": "{year}の予算額 {budget} のうち残りは {left} です。{action}の金額 {amount} はこれを超えます。",
    "advance_not_allowed": "{year}の事業では概算払を行いません。",
    "advance_over_awarded": "概算払の合計 {total} は交付決定額 {awarded} を超えられません。",
    "unknown_municipality": "団体コード {code} の市区町村は登録されていません。",
    "municipality_not_yours": (
        "団体コード {code} の市区町村の申請は作成できません（所属する市区町村の申請のみ作成できます）。"),
    "unknown_program": "{year}の事業（年度プログラム）は登録されていません。",
    "program_exists": "{year}の事業はすでに登録されています。",
    "window_order": "申請受付終了日（{close}）が開始日（{open}）より前です",
    "bad_check_digit": "団体コード {code} の検査数字が正しくありません（正しくは {expected}）。",
    "bad_code_format": "団体コード {code} は6桁の数字ではありません。",
}


PROGRAM_NAME = "みどり東京・温暖化防止プロジェクト助成金"

# form number: document name (who files each form is in workflows.table.FORMS)
FORM_NAMES: dict[int, str] = {
    1: "交付申請書",
    2: "交付決定通知書",
    3: "不交付決定通知書",
    4: "変更承認申請書",
    5: "変更承認通知書",
    6: "実績報告書",
    7: "額の確定通知書",
    8: "交付請求書",
    9: "交付決定取消通知書",
}

# The opening sentence of each form; {program} is e.g. 令和7年度みどり東京・温暖化防止プロジェクト助成金.
FORM_INTROS: dict[int, str] = {
    1: "{program}の交付を受けたいので、下記のとおり申請します。",
    2: "{applied}付けで申請のあった{program}については、下記のとおり交付することに決定したので通知します。",
    3: "{applied}付けで申請のあった{program}については、下記の理由により交付しないことに決定したので通知します。",
    4: "{decided}付けで交付決定のあった{program}について、下記のとおり変更したいので承認を申請します。",
    5: "{decided}付けで交付決定した{program}の変更承認申請については、下記のとおり承認したので通知します。",
    6: "{decided}付けで交付決定のあった{program}に係る事業が完了したので、下記のとおり報告します。",
    7: ("{decided}付けで交付決定した{program}については、実績報告書の審査の結果、"
        "下記のとおり交付額を確定したので通知します。"),
    8: "{decided}付けで交付決定のあった{program}について、下記のとおり請求します。",
    9: "{decided}付けで交付決定した{program}については、下記の理由により交付決定を取り消したので通知します。",
}

DOCUMENT_WORDS: dict[str, str] = {
    "form": "様式第{n}号",
    "blank_number": "第　　号",
    "draft_number": "（未発行）",
    "addressee": "{name}　様",
    "notes": "記",
    "end": "以上",
    "period": "{start}から{end}まで",
    "none": "なし",
    "change": "変更前: {before}\n変更後: {after}",
    "refund_note": "上記の返還額を、本通知の日から30日以内に返還してください。",
    "no_refund": "返還を要する額はありません。",
    "account": "金融機関名・支店名・口座種別・口座番号・口座名義を記入してください。",
    # row labels beyond FIELD_LABELS
    "period_label": "事業期間",
    "reason_reject": "不交付の理由",
    "reason_cancel": "取消の理由",
    "reason_change": "変更の理由",
    "changes": "変更の内容",
    "previous_awarded": "変更前の交付決定額",
    "new_awarded": "変更後の交付決定額",
    "actual_cost": "事業に要した経費（実績額）",
    "confirmed": "交付確定額",
    "advanced": "概算払による既交付額",
    "requested_payment": "請求額",
    "account_label": "振込先",
    "paid": "既交付額",
    "refund": "返還額",
}


def kin(amount: int) -> str:
    """1000000 -> '金1,000,000円', as amounts are written on official documents."""
    return f"金{amount:,}円"


def state_label(state: str, *, for_applicant: bool = False) -> str:
    staff, applicant = STATE_LABELS[state]
    return applicant if for_applicant else staff


def yen(amount: int) -> str:
    """1000000 -> '1,000,000円' (the documents add 金 themselves)."""
    return f"{amount:,}円"


def message(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
