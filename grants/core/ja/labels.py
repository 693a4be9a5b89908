"""The words for the domain's names: states (for the staff and for applicants), actions,
roles, categories, the three actions, fields and choices, the program's name, and yen.
Code, API and audit trail keep the English names; these tables turn them into Japanese."""

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
    "current_password": "今のパスワード",
    "new_password": "新しいパスワード",
    "new_password_again": "新しいパスワード（確認）",
    "code": "確認コード",
    "otp": "確認コード",
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


# What the system calls itself (the API's title, the command's help, the forms' properties).
SYSTEM_NAME = "みどり東京・温暖化防止プロジェクト 助成金ワークフロー"
SYSTEM_DESCRIPTION = "オール東京62市区町村共同事業「みどり東京・温暖化防止プロジェクト」の助成金の申請から公表まで。"

# The name an authenticator app shows beside the person's codes (short: it is in the QR code).
TOTP_ISSUER = "みどり東京助成金"

# Monday first, as date.weekday() counts: 令和8年5月7日（木）.
WEEKDAYS = "月火水木金土日"

PROGRAM_NAME = "みどり東京・温暖化防止プロジェクト助成金"


def state_label(state: str, *, for_applicant: bool = False) -> str:
    staff, applicant = STATE_LABELS[state]
    return applicant if for_applicant else staff


def yen(amount: int) -> str:
    """1000000 -> '1,000,000円' (the documents add 金 themselves)."""
    return f"{amount:,}円"
