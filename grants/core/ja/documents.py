"""The words of the official forms (様式, ``forms``): their names, the 本文 of each, the
交付要綱 they rest on, the standard conditions of the 交付決定, and the words of their rows."""

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


DOCUMENT_WORDS: dict[str, str] = {
    "form": "様式第{n}号",
    "blank_number": "第　　号",
    "blank_date": "　　年　月　日",
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


def kin(amount: int) -> str:
    """1000000 -> '金1,000,000円', as amounts are written on official documents."""
    return f"金{amount:,}円"

# The title an org's head signs with, unless the admin gives another (grants heads org).
ORG_HEAD_TITLE = "理事長"
