## 聯署運動頁面。

campaign-versions-label = 本聯署的語言版本
campaign-versions-intro = 閱讀其他語言版本：
# $language：訪客所用語言；$shown：實際顯示的語言（各以自身文字寫出）。
campaign-no-version = 本聯署暫時沒有{ $language }版本，現以{ $shown }顯示。
campaign-target = 致
campaign-dated = 日期
campaign-demands-heading = 我們的要求
campaign-contact-heading = 聯絡人
campaign-status-draft = 草稿
campaign-status-open = 正在接受聯署
campaign-status-closed = 已結束：本聯署不再接受簽名
campaign-status-won = 已成功：本聯署已達成目標

## 聯署團體與個人。

endorsements-heading = 聯署團體
endorsements-region-none = 未註明地區
# $count：一同聯署、不公開姓名的人數。
endorsement-individuals = { $count } 位個人
org-type-trade-union = 工會
org-type-ngo = 非政府組織
org-type-media = 媒體
org-type-other = 團體
