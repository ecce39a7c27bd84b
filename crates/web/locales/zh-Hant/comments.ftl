## 留言。

# $campaign：聯署的標題。
comments-title = 留言：{ $campaign }
comments-heading = 留言
comments-none = 暫時沒有留言。
# $count：顯示中的留言數目。
comments-link = { $count ->
    [0] 就本聯署留言
   *[other] { $count } 則留言：閱讀或加入你的留言
}
comments-back = 返回留言
comments-reply = 回覆
comments-reply-button = 送出回覆
comments-text = 你的留言
comments-add-heading = 留言
comments-rules = 純文字；網址會變成連結（最多 3 個）。每則留言我們都會請你以電郵確認。
comments-email-hint = 不會公開。
comments-send = 送出留言
comments-organiser = 發起人
comments-report = 舉報這則留言
comment-error-rate-limit = 過去一小時內從你的網絡連線送出了太多訊息，所以這則沒有送出。你填寫的內容已保留：請稍後再試。
comment-check-email = 請打開我們發出的連結確認你的留言；之後留言便會公開（如果聯署要先審閱留言，則在審核員閱讀後公開）。
comment-held-heading = 你的留言正等待審核
comment-held-text = 本聯署的發起人會先閱讀留言，然後才公開。
comment-published-heading = 你的留言已經公開
comment-published-text = 謝謝你。
comment-confirm-heading = 確認你的留言
comment-confirm-text = 請核對下面的留言：只有留言是你寫的，才按下按鈕。之後這則留言便會公開，其他留言不會。
# $name: the name the comment is signed with.
comment-confirm-by = 署名 { $name }：
comment-confirm-button = 確認我的留言
comment-reported-heading = 謝謝你告訴我們
comment-reported-text = 發起人會查看這則留言。
form-error-comment-body = 請填寫留言：最多 3,000 個字。
form-error-comment-links = 每則留言最多只可包含 3 個網址。
# $title：聯署的標題。
mail-confirm-comment-subject = 請確認你的留言：{ $title }
mail-confirm-comment-intro = 要公開你在「{ $title }」的留言，請打開這個連結並按「確認我的留言」：
moderation-comments-heading = 留言
moderation-comments-mode = 留言何時公開
moderation-comments-post = 立即公開，事後審核（根據舉報）
moderation-comments-pre = 審核員批准後才公開
# $count：留言被舉報的次數。
moderation-comment-reports = 被舉報 { $count } 次
moderation-comment-show = 公開
moderation-comment-hide = 隱藏
moderation-comment-delete = 刪除
moderation-no-comments = 沒有等待審核的留言。
moderation-comments-reply-heading = 以發起人身分回覆
moderation-comment-reply = 你的回覆（以發起人名義顯示）
moderation-comments-hidden = 已隱藏的留言
moderation-comment-restore = 重新公開
