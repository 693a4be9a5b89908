"""The public site's words (SPEC §8): the pages anyone may read without signing in, the
licences a publisher may choose, and the open data package's titles."""

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
