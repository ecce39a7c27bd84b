# 防機器人：“遭受攻擊”模式、工作量證明、封鎖列表、異常簽名提醒。

sign-error-pow-wrong = 確認是真人簽名的檢查未通過。請重新提交表單。
sign-error-pow-forged = 這項檢查不是本網站發出的。請重新加載頁面後再提交表單。
sign-error-pow-expired = 確認是真人簽名的檢查已過期（頁面打開太久）。請重新提交表單。
sign-error-pow-replayed = 這項檢查已用於另一個簽名。請重新提交表單以獲得新的檢查。
sign-error-unsolved = 目前未經檢查的簽名太多：請在 { $minutes } 分鐘後再試，或開啟 JavaScript 後再試。

pow-working = 正在確認是真人簽名（您的瀏覽器做一個小運算，任何內容都不會離開瀏覽器）…
pow-waiting = 檢查即將完成：完成後會自動提交您的簽名…
pow-done = 檢查完成。
pow-failed = 此瀏覽器無法運行檢查；簽名將在沒有檢查的情况下提交。
pow-progress = 檢查進度

organise-tab-defence = 防機器人
organise-defence-link = 防機器人
defence-heading = 防機器人
defence-intro = 當有機器人為此活動簽名時，請開啟“遭受攻擊”模式：每個簽名都需要由簽名者的瀏覽器完成一個小的工作量證明（不依賴第三方，也無需人工解題）。沒有 JavaScript 的人仍然可以簽名，但速度受到限制。下面的列表可以阻止來自您指定的電子郵件域名和網絡的簽名。
defence-intro-site = 全站的“遭受攻擊”模式和封鎖列表適用於所有活動，此外每個活動還有自己的設置。
defence-mode-heading = “遭受攻擊”模式
defence-mode-on = 自 { $since } 起開啟。
defence-mode-site-on = 已對整個網站開啟（由運營者開啟）。
defence-mode-off = 關閉：簽名不需要工作量證明。
defence-why-hand = 手動開啟
defence-why-rate = 自動開啟：兩分鐘內來自 { $addresses } 個不同網絡的 { $signatures } 個簽名。安靜 { $quiet } 分鐘後自動關閉，也可手動關閉。
defence-turn-on = 開啟“遭受攻擊”模式
defence-turn-off = 關閉“遭受攻擊”模式
defence-mode-explain = 在此模式下，每個簽名都需要簽名者的瀏覽器完成工作量證明；沒有證明的簽名（未開啟 JavaScript）按更嚴格的速率接受。
defence-manage-link = 防機器人：封鎖列表和提醒
defence-alerts-heading = 異常快速的簽名（最近 24 小時）
defence-alert-domain = 自 { $hour } 起的一小時內，來自 { $domain } 地址的 { $count } 個簽名
defence-alert-ip = 自 { $hour } 起的一小時內，來自 IP 哈希 { $hash } 的 { $count } 個簽名
defence-alert-mailed = 已通知組織者
defence-blocks-heading = 封鎖列表
defence-blocks-intro = 來自被封鎖的域名、網絡或 IP 哈希的簽名會得到与其他簽名相同的回覆（“請查看您的電子郵件”），但不會被保存、計數或發送郵件。
defence-blocked-domains = 封鎖的電子郵件域名
defence-blocked-domains-hint = 每行一個，例如 example.org：其子域名也會被封鎖。
defence-blocked-ip-ranges = 封鎖的 IP 范圍
defence-blocked-ip-ranges-hint = 每行一個，例如 203.0.113.0/24、2001:db8::/32 或單個地址。与每個請求的地址比對；不保存任何地址。
defence-blocked-ip-hashes = 封鎖的 IP 哈希
defence-blocked-ip-hashes-hint = 每行一個，32 位十六進制數字，与審核頁面鏈接中的相同。一個哈希代表某一天（UTC）的一個地址。
defence-blocks-save = 保存封鎖列表
form-error-blocked-domains = 每行寫一個電子郵件域名，例如 example.org。
form-error-blocked-ip-ranges = 每行寫一個 IP 范圍，例如 203.0.113.0/24。
form-error-blocked-ip-hashes = 每行寫一個 IP 哈希：32 位十六進制數字。

mail-trend-subject-domain = “{ $title }”收到異常多來自 { $domain } 的簽名
mail-trend-subject-ip = “{ $title }”收到異常多來自同一網絡的簽名
mail-trend-domain = 過去一小時內，“{ $title }”有 { $count } 個簽名來自 { $domain } 的地址。
mail-trend-ip = 過去一小時內，“{ $title }”有 { $count } 個簽名來自同一網絡（IP 哈希 { $hash }）。
mail-trend-action = 如果它們看起來像機器人，請在活動的防機器人頁面開啟“遭受攻擊”模式或封鎖它們：
