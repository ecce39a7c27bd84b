## 公眾提議（議題 15）：表單、提議人的私人頁面、附議、公開的被拒提議列表、審核員的隊列與網站設定。

propose-heading = 發起聯署
propose-intro = 任何人都可以在這裏提議一份聯署。有足夠的人支持、並經審核員審核後，它才會公開。
propose-step-write = 寫下你的聯署：你要求什麼、向誰要求、為什麼。
propose-step-confirm = 在我們寄給你的郵件中確認你的電郵地址。郵件裏有通往你的提議的私人連結：請保存好。
propose-step-sponsors = 把附議連結轉給別人：最早的支持者附議這份提議，每人都要通過電郵確認。他們的簽名就是聯署的第一批簽名。
propose-step-moderation = 附議人數足夠後，審核員會公開它，或者拒絕並公開拒絕的理由。
propose-lang = 你撰寫所用的語言
propose-title-hint = 用一句短話説明你的要求。
propose-summary-hint = 一兩句話，顯示在標題下方，分享聯署時也會顯示。
propose-target-hint = 聯署的對象：能夠做到你所要求之事的個人、機構或組織。
propose-body-hint = 為什麼這件事重要。使用 Markdown：段落之間空一行。
propose-demands-hint = 每行一項訴求，按順序排列。公開時會自動編號。
propose-you = 關於你
propose-name-hint = 在聯署上顯示為發起人。
propose-email-hint = 我們會把你的私人連結寄到這裏。你的地址永遠不會公開。
propose-privacy = 我們保存你的姓名和地址，只為告訴你提議的進展；你的地址永遠不會公開，審核員只看到你的姓名。
propose-button = 提交聯署提議
propose-sent-text = 我們已向你提供的地址發送了一封郵件。打開其中的連結以確認你的提議，並取得轉給附議人的連結。

proposal-private-heading = 你的提議
proposal-private-keep = 這個頁面只屬於你：在有人附議之前，任何知道這個地址的人都可以修改你的提議。請不要分享它；請分享附議連結。
proposal-state-unconfirmed = 等待你確認電郵地址
proposal-state-gathering = 正在徵集附議
proposal-state-moderation = 等待審核員審核
proposal-state-published = 已公開
proposal-state-rejected = 已被拒絕
proposal-confirm-text = 請確認這是你的地址，以開始徵集附議。
proposal-confirm-button = 確認我的提議
proposal-sponsors = 已有 { $count } 位附議人確認，共需 { $needed } 位
proposal-sponsors-label = 目前的附議人數
proposal-sponsor-link-heading = 你的附議連結
proposal-sponsor-link-text = 把這個連結發給支持你的聯署的人。當其中 { $needed } 人通過電郵確認後，審核員就會審核。
proposal-sponsor-link-label = 附議連結
proposal-published-text = 你的聯署已公開，你是它的負責人。我們已通過電郵寄給你設定密碼的連結，以便管理聯署。
proposal-published-link = 查看聯署
proposal-login-link = 登錄以管理聯署
proposal-rejected-text = 審核員拒絕了你的提議，理由如下：
proposal-edit-heading = 修改你的提議
proposal-edit-note = 在第一位附議人簽名之前，你都可以修改；此後，它會保持附議人所讀到的樣子。
proposal-save-button = 保存修改
proposal-frozen = 已有附議人簽署這份文本，因此不能再修改。

sponsor-heading = 徵集附議的提議
sponsor-notice = { $proposer } 提議了這份聯署，並請你附議。它尚未公開：附議人數足夠並確認後，審核員會進行審核。
sponsor-in-moderation = 它已有足夠的附議人，正在等待審核員審核；你仍然可以加上你的名字。
sponsor-button = 附議這份聯署
sponsor-explained = 附議就是簽名：聯署公開時，你的簽名就在第一批之中。
sponsor-check-email = 我們已向你提供的地址發送了一封郵件。打開其中的連結以確認：確認後你才算作附議人。
sponsor-decided-heading = 這份提議已有決定
sponsor-published = 審核員已將它公開：它現在是一份聯署，你可以在它的頁面上簽名。
sponsor-published-link = 前往聯署
sponsor-rejected = 審核員拒絕了它，因此不再接受附議。理由：
sponsor-thanks-heading = 感謝你的附議
sponsor-thanks-text = 你已確認。目前已有 { $count } 位附議人，共需 { $needed } 位。審核員作出決定後，我們會通過電郵通知你。

rejection-duplicate = 已經有關於此事的聯署。
rejection-not-actionable = 它要求的事情超出了聯署對象的能力範圍。
rejection-offensive = 它具有冒犯性、誹謗性，或因其他原因不能公開。
rejection-personal-data = 它包含他人的個人資料。
rejection-other = 其他理由，見審核員的説明。

rejected-heading = 被拒絕的提議
rejected-intro = 審核員沒有公開的提議及其理由。因冒犯性或包含個人資料而被拒絕的提議不會列出。
rejected-reason = 理由：
rejected-none = 沒有被拒絕的提議。

proposals-heading = 提議
proposals-intro = 來自公眾的提議。當 { $needed } 位附議人確認後，提議會等待審核員審核；你也可以提早決定。
proposals-public-link = 公開的被拒提議列表
proposals-by = 由 { $name } 提議
proposals-read = 閲讀及編輯草稿
proposals-publish = 公開
proposals-reason = 拒絕的理由
proposals-reason-hidden = （不公開列出）
proposals-note = 説明
proposals-note-hint = 與理由一同公開，除非該理由不公開列出。選擇「重複」（請註明是哪份聯署）和「其他理由」時必須填寫。
proposals-reject = 拒絕
proposals-delete = 永久刪除
proposals-none = 沒有等待處理的提議。
proposals-rejected-heading = 已被拒絕

site-settings-heading = 網站設定
site-settings-who = 誰可以發起聯署
site-settings-who-admins = 只有管理員
site-settings-who-organisers = 任何有賬户的組織者
site-settings-who-anyone = 任何人：公眾提議、附議人支持、審核員決定
site-settings-sponsors = 提議所需的附議人數
site-settings-sponsors-hint = 審核員看到提議之前，必須有多少人確認支持（0 至 1000）。
site-settings-save = 保存設定

form-error-who-starts = 請選擇誰可以發起聯署。
form-error-sponsors-needed = 請輸入 0 至 1000 之間的整數。
form-error-reason = 請選擇一個理由。
form-error-note = 請填寫説明（最多 2,000 個字符）：這個理由需要説明。

organise-proposals-link = 提議
organise-settings-link = 網站設定
home-propose-link = 發起聯署
home-rejected-link = 被拒絕的提議

mail-confirm-proposal-subject = 請確認你的提議：{ $title }
mail-confirm-proposal-intro = 你（或使用你的地址的人）提議了聯署「{ $title }」。
mail-confirm-proposal-action = 要確認提議並取得轉給附議人的連結，請打開這個連結並按「確認我的提議」：
mail-confirm-proposal-button = 確認我的提議
mail-confirm-proposal-keep = 請保存這封郵件：這個連結是你回到提議、修改和跟進它的私人途徑，有效期至 { $date }。
mail-confirm-proposal-not-you = 如果這不是你，請忽略這封郵件：不會有任何內容被公開。
mail-proposal-published-subject = 已公開：{ $title }
mail-proposal-rejected-subject = 未獲公開：{ $title }
mail-proposal-published-proposer = 審核員已公開你的聯署「{ $title }」。你是它的負責人。
mail-proposal-published-sponsor = 你附議的聯署「{ $title }」已經公開。你的簽名是它的第一批簽名之一。
mail-proposal-set-password = 要管理聯署（查看簽名、向簽名者發佈最新消息），請為你的賬户設定密碼：
mail-proposal-login = 登錄以管理聯署：
mail-proposal-rejected-proposer = 審核員沒有公開你的提議「{ $title }」。理由：
mail-proposal-rejected-sponsor = 你附議的提議「{ $title }」沒有公開。理由：

## 門檻：聯署頁面顯示的內容、設定門檻的表單、寄給團隊的電郵。
threshold-next = 下一個門檻：{ $number } 個簽名。
threshold-progress-label = 距離下一個門檻
thresholds-reached-label = 已達到的門檻
threshold-reached = 於以下日期達到 { $number }：
organise-tab-thresholds = 門檻
thresholds-intro = 當簽名人數達到一個門檻時，聯署頁面會顯示並註明日期，Webhook 會收到通知，聯署團隊也會收到電郵。
thresholds-site = 網站的門檻，適用於每一個聯署：
thresholds-save = 儲存門檻
thresholds-legend = 門檻
thresholds-hint = 每行一個：簽名人數、冒號、達到時會發生甚麼。例如「10,000：聯署對象須作出回應」。
thresholds-in = { $language }
form-error-thresholds-en = 每行寫一個門檻：大於 0 的整數、冒號，然後是它的意義（每個數字只能出現一次，最多 20 個）。
form-error-thresholds-zh-Hans = { form-error-thresholds-en }
form-error-thresholds-zh-Hant = { form-error-thresholds-en }

## 首頁的列表與搜尋，以及存檔。
home-search-label = 搜尋聯署
home-search-button = 搜尋
home-sort-label = 排序
home-sort-active = 今天最多人簽署
home-sort-newest = 最新
home-sort-closing = 即將截止
home-count = { $count ->
   *[other] { $number } 個簽名
}
home-closes = 於 { $date } 截止
home-no-match = 沒有聯署包含所有這些字詞。請試試少一些或其他字詞。
home-pages-label = 頁碼
home-previous = 上一頁
home-next = 下一頁
home-page = 第 { $page } 頁，共 { $pages } 頁
home-archive-link = 存檔：已結束或已成功的聯署
archive-heading = 存檔
archive-empty = 還沒有結束的聯署。
archive-back = 進行中的聯署

## 管理員以公開理由撤下聯署。
organise-tab-takedown = 撤下
takedown-heading = 撤下這個聯署
takedown-intro = 作為管理員，你可以撤下這個聯署：它的頁面會顯示已被撤下及你的理由，所有簽名者都會收到電郵通知。簽名會保留至保存期結束，負責人也可以重新發佈。
takedown-reason = 公開理由
takedown-reason-hint = 會顯示在聯署的網址上，並寄給簽名者。
takedown-button = 撤下
takedown-not-public = 這個聯署並未公開：沒有可以撤下的內容。
takedown-public-heading = 這個聯署已被撤下
takedown-public-text = 網站管理員於 { $date } 撤下了它。理由如下：
form-error-takedown-reason = 請填寫理由（最多 2,000 個字元）。
mail-taken-down-subject = 已撤下：{ $title }
mail-taken-down-intro = 你簽署的聯署「{ $title }」已被網站管理員撤下。理由如下：
mail-taken-down-signature = 你的簽名會保留至聯署的保存期結束。若要現在撤回簽名，並刪除我們保存的相關資料：

## 組織者會收到的通知：設定與電郵。
notices-link = 你的電郵與通知
notices-heading = 你的電郵與通知
notices-intro = 關於你組織的聯署，我們會寄哪些電郵到 { $email }，以及使用哪種語言。
notices-lang = 電郵的語言
notices-lang-site = 網站的語言
notices-kind-endorsement = 有團體聯署等待批准
notices-kind-comment = 有留言被舉報
notices-kind-proposal = 有提議等待審核
notices-kind-threshold = 聯署達到門檻
notices-kind-trend = 簽名情況異常（某個域名或網絡簽名速度過快）
notices-mode-now = 立即寄給我
notices-mode-digest = 每天一封匯總電郵
notices-mode-off = 不要寄給我
notices-save = 儲存
form-error-notice-endorsement = 請選擇何時通知你。
form-error-notice-comment = 請選擇何時通知你。
form-error-notice-proposal = 請選擇何時通知你。
form-error-notice-threshold = 請選擇何時通知你。
form-error-notice-trend = 請選擇何時通知你。
mail-notice-endorsement = { $organisation } 的團體聯署正在等待批准：「{ $title }」。
mail-notice-comment = { $name } 在「{ $title }」的留言被舉報了。
mail-notice-proposal = 提議「{ $title }」已有足夠附議人，正在等待審核。
mail-notice-threshold = 「{ $title }」已達到 { $count } 個簽名。
mail-notice-trend = 「{ $title }」的簽名情況異常：某個電郵域名或網絡的簽名速度異常地快。
mail-notice-settings = 要選擇我們寄給你的電郵及時間：
mail-digest-subject = { $count ->
   *[other] 有 { $count } 件事等待你處理
}
mail-digest-intro = { $count ->
   *[other] 自上一封匯總電郵以來，共有 { $count } 件事：
}
