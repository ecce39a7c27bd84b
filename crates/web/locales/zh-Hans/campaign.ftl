## 联署活动页面。

campaign-versions-label = 本联署的语言版本
campaign-versions-intro = 阅读其他语言版本：
# $language：访客所用语言；$shown：实际显示的语言（各以自身文字写出）。
campaign-no-version = 本联署暂时没有{ $language }版本，现以{ $shown }显示。
campaign-target = 致
campaign-dated = 日期
campaign-demands-heading = 我们的要求
campaign-contact-heading = 联系人
campaign-status-draft = 草稿
campaign-status-open = 正在接受联署
campaign-status-closed = 已结束：本联署不再接受签名
campaign-status-won = 已成功：本联署已达成目标

## 联署团体与个人。

endorsements-heading = 联署团体
endorsements-region-none = 未注明地区
# $count：一同联署、不公开姓名的人数。
endorsement-individuals = { $count } 位个人
org-type-trade-union = 工会
org-type-ngo = 非政府组织
org-type-media = 媒体
org-type-other = 团体
