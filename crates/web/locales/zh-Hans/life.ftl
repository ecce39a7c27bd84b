## 联署的一生：截止时间、下架与重新发布、删除草稿。

# $date: the day signing closes, written out; $time: the hour and minute, in UTC.
campaign-closes = 联署于 { $date } { $time }（UTC）截止。
campaign-status-withdrawn = 已由发起人撤回
error-410-title = 联署已撤回
error-410-text = 这个联署已由发起人撤回，不再接受签名，页面也不再公开。
status-unpublish = 下架这个联署
status-withdraw = 撤回这个联署
delete-link = 删除这份草稿
confirm-cancel = 取消
take-down-unpublish-heading = 要下架这个联署吗？
take-down-unpublish-text = 还没有人签署，所以它会变回草稿：公开页面会消失，你之后可以再编辑并重新开放。
take-down-unpublish-button = 下架
take-down-withdraw-heading = 要撤回这个联署吗？
take-down-withdraw-text = 联署会停止接受签名，公开网址会说明已由发起人撤回。已有的签名会保留到保存期限结束，你仍可导出。签署者仍可管理或撤回自己的签名，你之后也可以重新发布。
take-down-withdraw-button = 撤回联署
status-republish = 重新发布这个联署
take-down-republish-heading = 要重新发布这个联署吗？
take-down-republish-text-open = 联署会回到公开网址，并像撤回前一样重新接受签名。
take-down-republish-text-closed = 联署会重新公开，但保持截止状态：撤回时它已截止，或截止时间已在撤回期间过去。它不会接受签名。
take-down-republish-text-won = 联署会重新公开，并显示为已胜利。
take-down-republish-button = 重新发布联署
republish-error = 只有已撤回的联署才能重新发布。
manage-campaign-withdrawn = 此联署已由发起人撤回。你仍可查看、更改、下载或撤回你的签名。
unpublish-error = 只有公开的联署才能下架。
take-down-delete-heading = 要删除这份草稿吗？
take-down-delete-text = 草稿、它的各语言版本以及为它输入的一切都会永久删除。只有没有人签署过的草稿才能删除。
take-down-delete-button = 删除草稿
delete-error = 只有没有人签署过的草稿才能删除。
delete-done-heading = 草稿已删除
# $title: the deleted draft's title.
delete-done-text = “{ $title }”已删除。
dashboard-removed-versions = 已移除的版本
status-error-ended = 截止时间已过的联署无法开放：请先更改截止时间。
