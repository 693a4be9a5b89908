"""The grant ledger's (助成金台帳, SPEC §8) column headings in CSV and XLSX, its sheet and
its file's name; JSON keeps the English keys."""

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
