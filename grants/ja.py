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
    "offset": "開始位置",
    "state": "状態",
    "org": "財団",
}

MESSAGES: dict[str, str] = {
    # visibility and roles
    "grant_not_found": "助成案件が見つかりません。",
    "wrong_role": "「{action}」は{role}の操作です。",
    "wrong_org": "この助成案件（{municipality}）は{org}の所管です。",
    "read_only_role": "{role}は助成案件を変更できません。",
    "applicants_only": "申請書の作成と修正は{role}が行います。",
    "not_editable": "「{state}」の申請は修正できません（作成中または修正依頼ありの申請のみ修正できます）。",
    "user_exists": "ユーザー名 {username} はすでに使われています。",
    "unknown_user": "ユーザー {username} は登録されていません。",
    "unknown_org": "団体（財団） {org} は登録されていません。",
    "user_municipality": "申請者（applicant）には市区町村コードが必要で、他の役割には指定できません。",
    "user_org": "事務局（secretariat）には所属財団（org）が必要で、他の役割には指定できません。",
    "login_failed": "ユーザー名またはパスワードが正しくありません。",
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
    "unknown_action": "「{action}」という操作はありません。",
    # state machine
    "wrong_state": "「{state}」の状態では「{action}」はできません。この状態でできる操作: {allowed}",
    "no_allowed_actions": "なし",
    # input
    "invalid_input": "入力内容に誤りがあります: {problems}",
    "required": "必須です",
    "integer": "整数で入力してください",
    "date": "日付（YYYY-MM-DD）で入力してください",
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
    "period_order": "事業終了日（{end}）が事業開始日（{start}）より前です。",
    "period_outside_year": "事業期間は{year}（{first}〜{last}）の中で設定してください。",
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
    "unknown_program": "{year}の事業（年度プログラム）は登録されていません。",
    "program_exists": "{year}の事業はすでに登録されています。",
    "window_order": "申請受付終了日（{close}）が開始日（{open}）より前です。",
    "bad_check_digit": "団体コード {code} の検査数字が正しくありません（正しくは {expected}）。",
    "bad_code_format": "団体コード {code} は6桁の数字ではありません。",
}


def state_label(state: str, *, for_applicant: bool = False) -> str:
    staff, applicant = STATE_LABELS[state]
    return applicant if for_applicant else staff


def yen(amount: int) -> str:
    """1000000 -> '1,000,000円' (the documents add 金 themselves)."""
    return f"{amount:,}円"


def message(key: str, **values: object) -> str:
    return MESSAGES[key].format(**values)
