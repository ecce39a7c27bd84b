## Comments.

# $campaign: the campaign's title.
comments-title = Comments: { $campaign }
comments-heading = Comments
comments-none = No comments yet.
# $count: visible comments.
comments-link = { $count ->
    [0] Comment on this campaign
    [one] One comment: read it or add yours
   *[other] { $count } comments: read them or add yours
}
comments-back = Back to the comments
comments-reply = Reply
comments-reply-button = Send the reply
comments-text = Your comment
comments-add-heading = Add a comment
comments-rules = Plain text; web addresses become links (at most 3). We ask you to confirm each comment by email.
comments-email-hint = Never shown.
comments-send = Send the comment
comments-organiser = the organisers
comments-report = Report this comment
comment-error-rate-limit = Too many messages came from your internet connection in the last hour, so this one was not sent. What you typed is kept: please try again later.
comment-check-email = Open the link we sent to confirm your comment; it is published then (or, on campaigns that check comments first, once a moderator has read it).
comment-held-heading = Your comment waits for a moderator
comment-held-text = This campaign’s organisers read comments before they are shown.
comment-published-heading = Your comment is published
comment-published-text = Thank you.
comment-confirm-heading = Confirm your comment
comment-confirm-text = Check the comment below: press the button only if you wrote it. It is published then; no other comment is.
# $name: the name the comment is signed with.
comment-confirm-by = Written as { $name }:
comment-confirm-button = Confirm my comment
comment-reported-heading = Thank you for telling us
comment-reported-text = The organisers will look at this comment.
form-error-comment-body = Write your comment: at most 3,000 characters.
form-error-comment-links = A comment can hold at most 3 web addresses.
# $title: the campaign's title.
mail-confirm-comment-subject = Please confirm your comment: { $title }
mail-confirm-comment-intro = To publish your comment on “{ $title }”, open this link and press “Confirm my comment”:
moderation-comments-heading = Comments
moderation-comments-mode = When comments appear
moderation-comments-post = at once, moderated afterwards (on reports)
moderation-comments-pre = only after a moderator approves them
# $count: reports of a comment.
moderation-comment-reports = { $count ->
    [one] reported once
   *[other] reported { $count } times
}
moderation-comment-show = Show
moderation-comment-hide = Hide
moderation-comment-delete = Delete
moderation-no-comments = No comment waits for a moderator.
moderation-comments-reply-heading = Reply as the organisers
moderation-comment-reply = Your reply, shown as the organisers’
moderation-comments-hidden = Hidden comments
moderation-comment-restore = Show it again
