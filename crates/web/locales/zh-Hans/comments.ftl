## 留言。

# $campaign：联署的标题。
comments-title = 留言：{ $campaign }
comments-heading = 留言
comments-none = 暂时没有留言。
# $count：显示中的留言数目。
comments-link = { $count ->
    [0] 就本联署留言
   *[other] { $count } 条留言：阅读或加入你的留言
}
comments-back = 返回留言
comments-reply = 回复
comments-reply-button = 发送回复
comments-text = 你的留言
comments-add-heading = 留言
comments-rules = 纯文本；网址会变成链接（最多 3 个）。每条留言我们都会请你以电子邮件确认。
comments-email-hint = 不会公开。
comments-send = 发送留言
comments-organiser = 发起人
comments-report = 举报这条留言
comment-error-rate-limit = 过去一小时内从你的网络连接发出了太多消息，所以这条没有发送。你填写的内容已保留：请稍后再试。
comment-check-email = 请打开我们发出的链接确认你的留言；之后留言便会公开（如果联署要先审阅留言，则在审核员阅读后公开）。
comment-held-heading = 你的留言正在等待审核
comment-held-text = 本联署的发起人会先阅读留言，然后才公开。
comment-published-heading = 你的留言已经公开
comment-published-text = 谢谢你。
comment-confirm-heading = 确认你的留言
comment-confirm-text = 请核对下面的留言：只有留言是你写的，才按下按钮。之后这条留言便会公开，其他留言不会。
# $name: the name the comment is signed with.
comment-confirm-by = 署名 { $name }：
comment-confirm-button = 确认我的留言
comment-reported-heading = 谢谢你告诉我们
comment-reported-text = 发起人会查看这条留言。
form-error-comment-body = 请填写留言：最多 3,000 个字。
form-error-comment-links = 每条留言最多只能包含 3 个网址。
# $title：联署的标题。
mail-confirm-comment-subject = 请确认你的留言：{ $title }
mail-confirm-comment-intro = 要公开你在“{ $title }”的留言，请打开这个链接并按“确认我的留言”：
moderation-comments-heading = 留言
moderation-comments-mode = 留言何时公开
moderation-comments-post = 立即公开，事后审核（根据举报）
moderation-comments-pre = 审核员批准后才公开
# $count：留言被举报的次数。
moderation-comment-reports = 被举报 { $count } 次
moderation-comment-show = 公开
moderation-comment-hide = 隐藏
moderation-comment-delete = 删除
moderation-no-comments = 没有等待审核的留言。
moderation-comments-reply-heading = 以发起人身份回复
moderation-comment-reply = 你的回复（以发起人名义显示）
moderation-comments-hidden = 已隐藏的留言
moderation-comment-restore = 重新公开
