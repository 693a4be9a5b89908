"""Notices (SPEC §7): what each kind of notice says, in the inbox and in e-mail alike, the
words of the inbox page, the kinds' names and the states of an e-mail."""

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
                  "{grant}は{since}から精算を待っています（{state}）。"),
    "sign_in_failures": ("ログインの失敗が続きました",
                         "あなたのユーザー名で{at}までにログインの失敗が{failures}回続いたため、{where}からの"
                         "ログインをしばらく受け付けないようにしました。心当たりがない場合は、パスワードを変更し、"
                         "システム管理者に連絡してください。"),
    "unpublished": ("{grant}: 成果の公表がまだです",
                    "{grant}は{since}に精算されましたが、成果がまだ公表されていません。"),
}


NOTICE_WORDS: dict[str, str] = {
    "from_address": "接続元 {address} ",
    "from_anywhere": "失敗の続いた接続元",
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


# The private calendar feed's words (.ics): its name and each kind of event.
CALENDAR: dict[str, str] = {
    "name": "{program} 期限",
    "window_closes": "{year} 申請受付の締切",
    "report_due": "実績報告の期限: {municipality}「{title}」",
}

NOTICE_KINDS: dict[str, str] = {
    "action": "操作のお知らせ",
    "window_closing": "申請受付の締切",
    "returned_waiting": "修正・再提出の催促",
    "review_waiting": "審査待ち",
    "report_due": "実績報告の期限",
    "unsettled": "精算待ち",
    "unpublished": "公表待ち",
    "sign_in_failures": "ログインの失敗",
}


EMAIL_STATES: dict[str, str] = {
    "pending": "送信待ち",
    "sending": "送信中",
    "sent": "送信済み",
    "failed": "送信失敗",
    "off": "メールなし（サイトのみ）",
}
