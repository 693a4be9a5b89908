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
    "payment_requested": ("交付請求受付", "交付請求済み（支払待ち）"),
    "paid": ("精算済", "交付済み"),
    "published": ("公表済", "公表済み"),
    "cancelled": ("交付決定取消", "交付決定取消"),
}

# state: (what comes next, as the staff see it; as the applicant sees it)
NEXT_STEPS: dict[str, tuple[str, str]] = {
    "draft": ("申請者が作成中です", "申請書を完成させて提出してください"),
    "submitted": ("審査を開始してください", "事務局の審査をお待ちください"),
    "under_review": ("交付決定・不交付決定・差戻しのいずれかを行ってください", "事務局の審査をお待ちください"),
    "returned": ("申請者の修正を待っています", "修正依頼の理由を確認し、修正して再提出してください"),
    "awarded": ("実績報告を待っています", "事業を実施し、期限までに実績報告をしてください"),
    "rejected": ("手続は終了しました", "手続は終了しました"),
    "withdrawn": ("手続は終了しました", "手続は終了しました"),
    "change_requested": ("変更承認申請を審査してください", "変更承認申請の審査をお待ちください"),
    "report_submitted": ("実績報告を確認し、額を確定してください", "事務局の確認をお待ちください"),
    "report_returned": ("申請者の修正を待っています", "修正依頼の理由を確認し、実績報告を再提出してください"),
    "confirmed": ("交付請求書の提出を待っています", "交付額が確定しました。交付請求書（振込先）を提出してください"),
    "payment_requested": ("精算（支払）してください", "支払をお待ちください"),
    "paid": ("成果を公表してください", "交付が完了しました"),
    "published": ("公表中です", "成果が公表されています"),
    "cancelled": ("返還の状況を確認してください", "交付決定は取り消されました"),
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
    "request_payment": "交付請求",
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

ACCOUNT_TYPE_LABELS: dict[str, str] = {"ordinary": "普通", "current": "当座"}

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
    "released_yen": "解放された額",
    "previous_awarded_yen": "変更前の交付決定額",
    "payment_yen": "支払額",
    "paid_yen": "既交付額",
    "advanced_yen": "概算払の累計",
    "refund_due_yen": "返還額",
    "confirmed_yen": "交付確定額",
    "completed_on": "事業完了日",
    "guideline_name": "交付要綱の名称",
    "guideline_articles": "各様式の根拠条項",
    "award_conditions": "交付の条件（様式第2号）",
    "bank_name": "金融機関名",
    "bank_code": "金融機関コード",
    "branch_name": "支店名",
    "branch_code": "支店コード",
    "account_type": "預金種別",
    "account_number": "口座番号",
    "holder_kana": "口座名義（カナ）",
    "public_summary": "公表用の概要",
    "cap_yen": "上限額",
    "budget_yen": "予算額",
    "applications_open": "申請受付開始日",
    "applications_close": "申請受付終了日",
    "allows_advance": "概算払",
    "reminder_offsets": "リマインダー",
    "reminder_offsets.application_close": "申請締切の何日前に知らせるか",
    "reminder_offsets.report_due": "実績報告期限の何日前に知らせるか（0は当日）",
    "reminder_offsets.waiting_applicant_open_days": "差戻し後、何開庁日で再提出を催促するか",
    "reminder_offsets.waiting_review_open_days": "申請後、何開庁日で事務局に審査を促すか",
    "reminder_offsets.unsettled_days": "額の確定・精算後、何日で精算・公表を促すか",
    "username": "ユーザー名",
    "password": "パスワード",
    "role": "役割",
    "org_id": "所属財団",
    "email": "メールアドレス",
    "file": "ファイル",
    "limit": "件数",
    "after": "開始位置",
    "ids": "送信待ちに戻すメール",
    "state": "状態",
    "org": "財団",
}

# A field chosen from a few: its choices by key (the pages' radio buttons).
CHOICE_LABELS: dict[str, dict[str, str]] = {"category": CATEGORY_LABELS,
                                            "account_type": ACCOUNT_TYPE_LABELS}

# The grant ledger (助成金台帳, SPEC §8): each column's heading in CSV and XLSX; JSON keeps
# the English keys.
LEDGER_HEADERS: dict[str, str] = {
    "grant_id": "案件番号",
    "fiscal_year": "年度",
    "fiscal_year_label": "年度（和暦）",
    "municipality_code": "団体コード",
    "municipality": "市区町村",
    "org": "所管財団",
    "title": "事業名",
    "category": "事業区分",
    "actions": "取組",
    "project_start": "事業開始日",
    "project_end": "事業終了日",
    "project_cost_yen": "事業費（円）",
    "requested_yen": "申請額（円）",
    "awarded_yen": "交付決定額（円）",
    "decision_date": "交付決定日",
    "decision_number": "交付決定通知番号",
    "confirmed_yen": "確定額（円）",
    "advanced_yen": "概算払額（円）",
    "paid_yen": "支払額（円）",
    "refund_due_yen": "返還額（円）",
    "state": "状態",
    "published_on": "公表日",
    "retain_until": "保存期限",
}
LEDGER_SHEET = "助成金台帳"
LEDGER_FILENAME = "助成金台帳"


MESSAGES: dict[str, str] = {
    # visibility and roles
    "grant_not_found": "助成案件が見つかりません。",
    "notice_not_found": "お知らせが見つかりません。",
    "calendar_not_found": "カレンダーが見つかりません。アドレスが停止されたか、新しいアドレスに変わっています。",
    "calendar_roles": "期限のカレンダーは申請者と事務局が使えます。",
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
    "ledger_state_unknown": "状態「{state}」はありません（draft、awarded、published など）。",
    "ledger_written": "助成金台帳 {rows} 件を {path} に書き出しました（監査証跡に記録しました）。",
    "site_folder_not_ours": ("{path} には公開サイト以外のファイルがあります。空のフォルダか、"
                             "以前に grants site build で書き出したフォルダを指定してください。"),
    "pdf_unavailable": "PDF を作成できませんでした（{reason}）。Word 形式（.docx）はダウンロードできます。",
    "pdf_no_libreoffice": "このサーバーには LibreOffice がありません",
    "pdf_no_uno": "このサーバーの LibreOffice には Python 連携（python3-uno）がありません",
    "pdf_no_start": "LibreOffice が起動しませんでした",
    "digits": "半角数字{count}桁で入力してください。",
    "kana": "カタカナ（全角）で入力してください。",
    "account_incomplete": "振込先を変えるときは、すべての項目を入力してください（未入力：{fields}）。",
    "no_account": "振込先が登録されていません。交付請求書に振込先（金融機関・支店・口座）を入力してください。",
    "payment_request_first": ("{municipality}から交付請求書（様式第8号）が提出されていません。"
                              "支払額 {due} がある間は、交付請求書の提出後に精算してください。"),
    "serve_scheduler_off": ("複数のワーカーで起動するため、ワーカー内のスケジューラーは止めます。"
                            "リマインダーとメールには grants scheduler を1つ別に起動してください。"),
    "body_too_large": "送信されたデータが大きすぎます（上限 {limit}）。",
    "not_ready_database": "ただいまデータベースに接続できません。しばらくしてから、もう一度お試しください。",
    "not_ready_migrations": "データベースの更新（grants init）が済んでいません。管理者に連絡してください。",
    "backup_folder_not_empty": "{path} は空ではありません。新しいフォルダか空のフォルダを指定してください。",
    "backup_unreadable": "{path} にバックアップの目録（manifest.json）がないか、読めません。",
    "backup_damaged": "バックアップの {name} が目録の SHA-256 と一致しません（壊れているか、書き換えられています）。",
    "backup_other_database": "このバックアップは {made} のものです。{here} には戻せません。",
    "restore_not_empty": "戻し先のデータベースが空ではありません。空のデータベースを用意してから戻してください。",
    "restore_mismatch": "戻したデータベースの内容（{what}）がバックアップの目録と一致しません。",
    "backup_written": ("{path} にバックアップを書き出しました（助成案件 {grants} 件、文書 {documents} 件、"
                       "添付 {attachments} 件、監査証跡 {events} 件）。"),
    "restore_done": "{path}（{made_at} 作成）から戻しました（助成案件 {grants} 件）。内容は目録と一致しています。",
    "site_base_url": "{url} はアドレスではありません（https:// で始まるアドレスを指定してください）。",
    "site_marker": "このフォルダは grants site build が書き出した公開サイトです。次の書き出しで置き換えられます。\n",
    "site_written": "公開サイト（{files} ファイル、公表済みの助成 {grants} 件）を {path} に書き出しました。",
    "ledger_forbidden": "{role}は助成金台帳を出力できません（監査、事務局、システム管理者が出力できます）。",
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
    "bank_account_not_found": "振込先が見つかりません（交付請求書とともに登録されます）。",
    "unknown_action": "「{action}」という操作はありません。",
    "demo_in_production": "本番環境（GRANTS_ENVIRONMENT=production）ではデモデータを作成しません。",
    "demo_ready": "デモの準備は済んでいます。{address} を開いてください（ログインを再発行するには grants demo）。",
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

# The public site (SPEC §8): pages anyone may read, without signing in.
PUBLIC_SITE: dict[str, str] = {
    "site_title": "助成実績",
    "intro": ("オール東京62市区町村共同事業として、各市区町村が取り組む自然環境保護・地球温暖化防止の"
              "事業に助成しています。事業が完了し、額が確定した助成の実績を公表しています。"),
    "years": "年度別の実績",
    "fiscal_year": "年度",
    "grants": "件数",
    "municipalities": "市区町村数",
    "total": "交付確定額",
    "all_years": "全年度合計",
    "none_yet": "公表された実績はまだありません。",
    "by_municipality": "市区町村別の実績",
    "municipality": "市区町村",
    "title": "事業名",
    "category": "事業区分",
    "actions": "３つの行動",
    "period": "事業期間",
    "amount": "交付確定額",
    "summary": "事業の概要",
    "outcomes": "事業の成果",
    "decision_date": "交付決定日",
    "published_on": "公表日",
    "funder": "助成団体",
    "subtotal": "小計",
    "year_total": "合計",
    "chart_title": "交付確定額の内訳",
    "chart_by_category": "事業区分別",
    "chart_by_action": "３つの行動別",
    "chart_note": "２つ以上の行動に取り組む事業は、それぞれの行動に計上しています。",
    "period_range": "{start}～{end}",
    "home": "助成実績トップ",
    "across_years": "{municipality}の助成実績（全年度）",
    "open_data": "オープンデータ（360Giving Data Standard）",
    "open_data_json": "JSON",
    "open_data_csv": "CSV",
    "feed": "新着の実績（Atom フィード）",
    "license": "掲載データの利用条件：",
    "breadcrumb": "現在の位置",
    "yen_unit": "円",
    "not_found": "お探しのページは見つかりませんでした。",
}

# Licences a publisher may choose for the open data, by canonical URL.
LICENSE_LABELS: dict[str, str] = {
    "https://creativecommons.org/licenses/by/4.0/": "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0 全世界 パブリック・ドメイン提供",
    "https://creativecommons.org/licenses/by-sa/4.0/": "クリエイティブ・コモンズ 表示-継承 4.0 国際（CC BY-SA 4.0）",
    "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0": "公共データ利用規約（第1.0版）",
}

# The open data (360Giving) package's words.
OPEN_DATA: dict[str, str] = {
    "title": "{year} {program} 助成実績",
    "description": "{year}に公表した助成の実績（360Giving Data Standard）",
    "publisher": "{program} 事務局",
    "local_government": "地方公共団体",
    "feed_title": "{program} 新着の助成実績",
}

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
# The 本文 of each form. {applied} and the like cite the document it answers
# (「令和7年5月20日付け7市調環第1号で」), {basis} the program's 要綱 and article, {amount} the sum.
FORM_INTROS: dict[int, str] = {
    1: "{program}の交付を受けたいので、{basis}の規定により、下記のとおり申請します。",
    2: ("{applied}申請のあった{program}については、{basis}の規定により、金{amount}円を"
        "下記の条件を付して交付することに決定したので通知します。"),
    3: ("{applied}申請のあった{program}については、{basis}の規定により、下記の理由により"
        "交付しないことに決定したので通知します。"),
    4: ("{decided}交付決定のあった{program}について、下記のとおり変更したいので、{basis}の規定に"
        "より承認を申請します。"),
    5: ("{change_requested}変更承認申請のあった{program}については、{basis}の規定により、"
        "交付決定額を金{amount}円とすることを承認したので通知します。"),
    6: ("{decided}交付決定{change_approved}のあった{program}に係る事業が完了したので、{basis}の"
        "規定により、下記のとおり報告します。"),
    7: ("{reported}実績報告のあった{program}については、{basis}の規定により、交付額を"
        "金{amount}円に確定したので通知します。"),
    8: ("{confirmed}額の確定の通知のあった{program}について、{basis}の規定により、金{amount}円を"
        "交付されるよう請求します。"),
    9: ("{decided}交付決定した{program}については、{basis}の規定により、下記の理由により"
        "交付決定の全部を取り消したので通知します。"),
}

# The 交付要綱 the forms rest on, and the article of each form, unless a program sets its own.
GUIDELINE_NAME = "みどり東京・温暖化防止プロジェクト助成金交付要綱"
GUIDELINE_ARTICLES: dict[str, str] = {
    "1": "第5条", "2": "第6条", "3": "第6条", "4": "第8条", "5": "第8条", "6": "第10条",
    "7": "第11条", "8": "第12条", "9": "第14条",
}

# The standard conditions of the 交付決定 (様式第2号), unless a program sets its own; one per
# line. {report_due} and {project_end} are the grant's own dates.
AWARD_CONDITIONS = """\
事業の内容又は経費の配分を変更しようとするときは、あらかじめ変更承認申請書（様式第4号）を提出し、承認を受けること。
事業は{project_end}までに完了すること。
事業が完了したときは、{report_due}までに実績報告書（様式第6号）を提出すること。
交付決定の内容又はこれに付した条件に違反したときは、交付決定の全部又は一部を取り消すことがある。
交付決定を取り消した場合において、既に助成金が交付されているときは、期限を定めてその返還を命ずる。この場合、助成金の受領の日から納付の日までの日数に応じ年10.95パーセントの割合で計算した加算金を、また納期限までに納付しないときは、納期限の翌日から納付の日までの日数に応じ年10.95パーセントの割合で計算した延滞金を納付しなければならない。
事業に係る収入及び支出を明らかにした帳簿及び証拠書類を整備し、事業の完了の日の属する年度の終了後5年間保存すること。"""

# A refund ordered by a cancellation (様式第9号) is due this many days after the notice,
# moved to the next open day.
REFUND_DAYS = 20

DOCUMENT_WORDS: dict[str, str] = {
    "form": "様式第{n}号",
    "blank_number": "第　　号",
    "draft_number": "（未発行）",
    "addressee": "{name}　様",
    "cited": "{day}付け{number}で",
    "cited_day": "{day}付けで",
    "change_approved": "（{cited}変更承認）",
    "basis": "{guideline}{article}",
    "seal": "印",
    "conditions_other": "その他の条件",
    "eligible_cost": "助成対象経費",
    "notes": "記",
    "end": "以上",
    "period": "{start}から{end}まで",
    "none": "なし",
    "change": "変更前: {before}\n変更後: {after}",
    "refund_note": ("上記の返還額を、納期限（{due}）までに返還してください。\n"
                    "なお、助成金の受領の日から納付の日までの日数に応じ、返還額に対し年10.95パーセントの"
                    "割合で計算した加算金を納付しなければなりません。また、納期限までに納付しないときは、"
                    "納期限の翌日から納付の日までの日数に応じ、未納付額に対し年10.95パーセントの割合で"
                    "計算した延滞金を納付しなければなりません。"),
    "refund_due": "納期限",
    "no_refund": "返還を要する額はありません。",
    "account": ("{bank}（金融機関コード {bank_code}）　{branch}（支店コード {branch_code}）\n"
                "{kind}預金　口座番号 {number}\n口座名義 {holder}"),
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


# The words of the pages (grants.web), keyed by what they are for.
PAGE: dict[str, str] = {
    "site": "みどり東京・温暖化防止プロジェクト 助成金",
    "footer": "オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」各団体の実施する事業との連携",
    "skip_to_main": "本文へ移動",
    "sign_in": "ログイン",
    "sign_out": "ログアウト",
    "sign_in_help": "ユーザー名とパスワードは、システム管理者から通知されたものを入力してください。",
    "already_signed_in": "{name} としてログインしています。",
    "to_home": "ホームへ",
    "breadcrumbs": "現在位置",
    "none": "—",
    "none_yet": "まだありません。",
    "none_found": "該当するものはありません。",
    "required": "必須",
    "yes": "あり",
    "no": "なし",
    "save": "保存する",
    "cancel": "取りやめる",
    "change": "変更",
    "done": "完了しました。",
    "fix_below": "入力内容を確認してください。",
    "csrf_failed": ("送信できませんでした。画面の有効期限が切れたか、正しくない送信です。"
                    "ページを読み込み直してから、もう一度送信してください。"),
    "status_401": "ログインできません",
    "status_403": "この操作はできません",
    "status_404": "見つかりません",
    "status_409": "この操作は今はできません",
    "status_422": "入力内容に誤りがあります",
    "status_429": "しばらくお待ちください",
    "status_other": "処理できませんでした",
    # amounts
    "amount_hint": "例: 1000000、1,000,000、１，０００，０００、100万",
    "amount_format": "金額は 1000000、1,000,000、１，０００，０００、100万 のいずれかの形で入力してください",
    # applicant home
    "applicant_home": "{name}の助成申請",
    "no_programs": "申請を受け付けている年度はまだありません。",
    "cap": "上限額",
    "committed": "交付決定・確定済み",
    "cap_left": "上限額の残り",
    "window_open": "申請を受け付けています（{close}まで）。",
    "window": "受付期間",
    "new_application": "新しい申請を作成",
    "grants_of_year": "{year}の申請",
    "no_grants_yet": "この年度の申請はまだありません。",
    "state": "状態",
    "next_step": "次の手続",
    "due": "期限",
    # queue
    "queue_title": "審査の一覧（{org}）",
    "all_grants": "すべての助成案件",
    "audit_link": "監査証跡と文書の検証へ",
    "filters": "絞り込み",
    "filter": "絞り込む",
    "every_year": "すべての年度",
    "municipality": "市区町村",
    "every_municipality": "すべての市区町村",
    "every_state": "すべての状態",
    "public_page": "公開ページ",
    "notices_basis": "通知書の根拠規定と交付の条件",
    "award_conditions_hint": ("1行に1つの条件を書きます（番号は自動で付きます）。{project_end} は事業の完了期限、"
                              "{report_due} は実績報告の期限に置き換わります。"),
    "payment_account": "振込先",
    "as_pdf": "PDF",
    "pdf_unavailable": "PDF（このサーバーでは作成できません。LibreOffice が必要です）",
    "public_site": "助成実績（公開サイト）",
    "ledger_title": "助成金台帳の出力",
    "ledger_link": "助成金台帳を出力する",
    "ledger_intro": ("条件に合う助成案件を1件1行で出力します。出力するたびに、出力した人・条件・件数・"
                     "ファイルのハッシュ値が監査証跡に記録されます。"),
    "ledger_own_org": "所管する市区町村の案件だけが出力されます。",
    "org": "所管財団",
    "every_org": "すべての財団",
    "file_format": "ファイル形式",
    "format_csv": "CSV（Excel で開けます）",
    "format_xlsx": "Excel ブック（XLSX）",
    "format_json": "JSON（システム連携用）",
    "export": "出力する",
    "title_contains": "事業名に含む語",
    "counts": "状態ごとの件数",
    "waiting_first": "事務局の対応を待っているもの（待ち時間の長い順）",
    "all_first": "すべて（最終更新の古い順）",
    "showing_waiting": "審査・確認・精算・公表など、事務局の対応を待っているものを表示しています。",
    "show_all": "すべて表示",
    "show_waiting": "対応待ちだけを表示",
    "last_change": "最終更新",
    "next_page": "次の50件",
    "days_format": "日数を半角または全角の数字で、複数のときは「14, 7, 1」のようにカンマで区切って入力してください。",
    "reminders": "リマインダー",
    "cap_use": "{year}の上限額の使用状況",
    "cap_use_caption": "各市区町村が交付決定・確定済みの額（上限 {cap}）",
    "cap_chart_title": "{year}の上限額 {cap} に対する各市区町村の交付決定・確定済みの額",
    "budget_left": "予算額 {budget} のうち残りは {left} です。",
    # a grant
    "what_next": "次にできること",
    "edit_application": "申請内容を修正",
    "returned_reason": "修正依頼の理由",
    "particulars": "内容",
    "project_period": "事業期間",
    "pending_change": "申請中の変更",
    "confirmed": "交付確定額",
    "advanced": "概算払による既交付額",
    "paid": "既交付額",
    "refund_due": "返還額",
    "where_it_stands": "手続の流れと現在の状態",
    "lifecycle_title": "申請から公表までの手続の流れ",
    "lifecycle_desc": ("申請、審査、交付決定、変更、実績報告、額の確定、交付請求、精算、公表の流れ。"
                       "現在の状態は「{state}」です。"),
    "lifecycle_caption": "塗りつぶしの枠が現在の状態（{state}）です。点線は差戻しや変更承認で前の段階へ戻る流れです。",
    "documents": "発行された文書（様式）",
    "form_number": "様式第{n}号",
    "attachments": "添付ファイル",
    "bytes": "バイト",
    "attach_file": "ファイルを添付",
    "attach_hint": "PDF、JPEG、PNG、XLSX、DOCX（10MBまで）",
    "upload": "添付する",
    "history": "経過",
    "reason": "理由",
    "done_save": "下書きを保存しました。",
    "done_submit": "申請を提出しました。",
    "done_attach": "ファイルを添付しました。",
    "done_withdraw": "申請を取り下げました。",
    "done_start_review": "審査を開始しました。",
    "done_return": "差し戻しました。",
    "done_award": "交付決定しました。交付決定通知書（様式第2号）を発行しました。",
    "done_reject": "不交付決定しました。",
    "done_pay_advance": "概算払を記録しました。",
    "done_request_change": "変更承認申請を提出しました。",
    "done_approve_change": "変更を承認しました。",
    "done_deny_change": "変更を承認しませんでした。",
    "done_submit_report": "実績報告を提出しました。",
    "done_return_report": "実績報告を差し戻しました。",
    "done_confirm": "額を確定しました。",
    "done_settle": "精算を記録しました。",
    "done_publish": "公表しました。",
    "done_unpublish": "公表を取り消しました。",
    "done_cancel": "交付決定を取り消しました。",
    # the application form
    "no_open_window": "現在、申請を受け付けている年度はありません。",
    "submit_application": "提出する",
    "save_draft": "下書き保存",
    "submit_hint": "「提出する」で申請を事務局に送ります。「下書き保存」では送られません。",
    # action forms
    "back_to_grant": "助成案件に戻る",
    "cap_left_for": "{name}の上限額の残り",
    "budget_left_label": "予算額の残り",
    "no_budget_limit": "上限なし",
    # admin
    "admin_title": "システム管理",
    "programs": "年度プログラム",
    "add_program": "年度を追加",
    "users": "利用者",
    "add_user": "利用者を追加",
    "belongs_to": "所属",
    "user_state": "状態",
    "active": "有効",
    "disabled": "停止中",
    "enable": "有効にする",
    "disable": "停止する",
    "reset_password": "パスワードを再発行",
    "username_hint": "半角英数字と . _ @ - で3〜64文字",
    "municipality_for_applicants": "市区町村（申請者のみ）",
    "org_for_secretariat": "所属財団（事務局のみ）",
    "issued_password": "{name} のパスワードを発行しました。この画面を閉じると二度と表示されません。",
    "issued_password_hint": "本人に安全な方法で伝え、初回ログイン後に変更するよう依頼してください。",
    "done_program": "年度プログラムを保存しました。",
    "done_user": "利用者を追加しました。",
    "done_disable": "利用者を停止しました。ログイン中のセッションも終了しました。",
    "done_enable": "利用者を有効にしました。",
    "done_password": "パスワードを再発行しました。",
    # audit
    "audit_title": "監査証跡と文書の検証",
    "audit_intro": "すべての操作記録のハッシュの連鎖と、発行されたすべての文書のハッシュを照合します。",
    "run_checks": "検証する",
    "trail_check": "監査証跡",
    "trail_ok": "監査証跡 {count} 件の連鎖を確認しました。改ざんは見つかりません。",
    "trail_broken": "監査証跡はイベント {seq} で途切れています（{problem}）。",
    "documents_check": "発行文書",
    "documents_ok": "文書 {count} 件のハッシュが監査証跡と一致しました。",
    "documents_broken": "{count} 件の文書が監査証跡と一致しません。",
    "document_id": "文書 {id}",
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


# Notices (SPEC §7): the subject and the opening sentence of each kind, for the inbox and the
# e-mail alike. {grant} is 市区町村「事業名」; {due} a date in 和暦; {action} the action's label.
NOTICES: dict[str, tuple[str, str]] = {
    "action": ("{grant}: {action}", "{grant}について「{action}」が行われました（{state}）。"),
    "window_closing": ("{year}の申請受付は{due}までです",
                       "{year}の助成金の申請受付は{due}に締め切ります。申請される場合は期限までに提出してください。"),
    "returned_waiting": ("{grant}: 修正・再提出をお願いします",
                         "{grant}は修正依頼（差戻し）のまま{since}から提出をお待ちしています。理由を確認し、修正して再提出してください。"),
    "review_waiting": ("{grant}: 審査待ちです",
                       "{grant}は{since}から審査を待っています（{state}）。"),
    "report_due": ("{grant}: 実績報告の期限は{due}です",
                   "{grant}の実績報告の期限は{due}です。期限までに実績報告を提出してください。"),
    "report_overdue": ("{grant}: 実績報告の期限（{due}）を過ぎています",
                       "{grant}の実績報告の期限（{due}）を過ぎています。速やかに提出してください。"),
    "unsettled": ("{grant}: 精算がまだです",
                  "{grant}は{since}に額が確定しましたが、まだ精算されていません。"),
    "unpublished": ("{grant}: 成果の公表がまだです",
                    "{grant}は{since}に精算されましたが、成果がまだ公表されていません。"),
}

NOTICE_WORDS: dict[str, str] = {
    "subject_prefix": "【みどり東京助成金】",
    "dear": "{name} 様",
    "reason": "理由",
    "due": "期限",
    "see_page": "詳しくは次のページをご覧ください。",
    "footer": "このメールはみどり東京・温暖化防止プロジェクト助成金の手続システムから自動で送信しています。",
    "opt_out": "メールでの通知は「お知らせ」のページで止められます（お知らせは引き続きサイトに届きます）。",
    "inbox": "お知らせ",
    "unread": "未読 {count} 件",
    "no_notices": "お知らせはありません。",
    "mark_read": "既読にする",
    "new": "未読",
    "show_all": "すべて表示",
    "show_unread": "未読だけ表示",
    "next_page": "次の20件",
    "mark_all_read": "すべて既読にする",
    "read": "既読",
    "email_setting": "メールでの通知",
    "email_on": "メールでも受け取る",
    "email_off": "サイトのお知らせだけにする",
    "email_missing": "メールアドレスが登録されていないため、お知らせはサイトにだけ届きます。",
    "save": "保存する",
    "saved": "設定を保存しました。",
    "calendar": "期限のカレンダー（iCalendar）",
    "calendar_intro": ("申請受付の締切と実績報告の期限を、Outlook や Google カレンダーに表示できます。"
                       "下のボタンで購読用のアドレスを発行し、カレンダーの「URLで追加」に貼り付けてください。"),
    "calendar_active": ("購読用のアドレスは発行済みです。アドレスを忘れたときは新しく発行してください"
                        "（前のアドレスは使えなくなります）。"),
    "calendar_none": "購読用のアドレスはまだ発行されていません。",
    "calendar_issue": "購読用のアドレスを発行する",
    "calendar_reissue": "新しいアドレスを発行する",
    "calendar_revoke": "アドレスを停止する",
    "calendar_url_once": "購読用のアドレスです。この画面を離れると二度と表示されません。他の人に知らせないでください。",
    "calendar_revoked": "購読用のアドレスを停止しました。",
    "failed_title": "送信できなかったメール",
    "failed_intro": ("再試行の上限まで送信できなかった通知メールです。メールサーバーや宛先を確認してから、"
                     "送信待ちに戻してください。お知らせ自体は各利用者のサイトに届いています。"),
    "no_failed": "送信できなかったメールはありません。",
    "requeued": "{count} 件を送信待ちに戻しました。次の送信で再び送られます。",
    "choose": "選択",
    "created": "作成日時",
    "recipient": "宛先",
    "subject": "件名",
    "attempts": "試行回数",
    "error": "最後のエラー",
    "requeue": "選択したメールを送信待ちに戻す",
    "requeue_hint": "何も選択しないときは、送信できなかったメールをすべて戻します。",
    "failed_link": "送信できなかったメール（{count} 件）",
}

NOTICE_KINDS: dict[str, str] = {
    "action": "操作のお知らせ",
    "window_closing": "申請受付の締切",
    "returned_waiting": "修正・再提出の催促",
    "review_waiting": "審査待ち",
    "report_due": "実績報告の期限",
    "unsettled": "精算待ち",
    "unpublished": "公表待ち",
}

EMAIL_STATES: dict[str, str] = {
    "pending": "送信待ち",
    "sending": "送信中",
    "sent": "送信済み",
    "failed": "送信失敗",
    "off": "メールなし（サイトのみ）",
}
