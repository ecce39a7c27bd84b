## 聯署的一生：截止時間、下架與重新發佈、刪除草稿。

# $date: the day signing closes, written out; $time: the hour and minute, in UTC.
campaign-closes = 聯署於 { $date } { $time }（UTC）截止。
campaign-status-withdrawn = 已由發起人撤回
error-410-title = 聯署已撤回
error-410-text = 這個聯署已由發起人撤回，不再接受簽名，頁面也不再公開。
status-unpublish = 下架這個聯署
status-withdraw = 撤回這個聯署
delete-link = 刪除這份草稿
confirm-cancel = 取消
take-down-unpublish-heading = 要下架這個聯署嗎？
take-down-unpublish-text = 還沒有人簽署，所以它會變回草稿：公開頁面會消失，你之後可以再編輯並重新開放。
take-down-unpublish-button = 下架
take-down-withdraw-heading = 要撤回這個聯署嗎？
take-down-withdraw-text = 聯署會停止接受簽名，公開網址會說明已由發起人撤回。已有的簽名會保留到保存期限結束，你仍可匯出。簽署者仍可管理或撤回自己的簽名，你之後也可以重新發佈。
take-down-withdraw-button = 撤回聯署
status-republish = 重新發佈這個聯署
take-down-republish-heading = 要重新發佈這個聯署嗎？
take-down-republish-text-open = 聯署會回到公開網址，並像撤回前一樣重新接受簽名。
take-down-republish-text-closed = 聯署會重新公開，但維持截止狀態：撤回時它已截止，或截止時間已在撤回期間過去。它不會接受簽名。
take-down-republish-text-won = 聯署會重新公開，並顯示為已勝利。
take-down-republish-button = 重新發佈聯署
republish-error = 只有已撤回的聯署才能重新發佈。
manage-campaign-withdrawn = 此聯署已由發起人撤回。你仍可查看、更改、下載或撤回你的簽名。
unpublish-error = 只有公開的聯署才能下架。
take-down-delete-heading = 要刪除這份草稿嗎？
take-down-delete-text = 草稿、它的各語言版本以及為它輸入的一切都會永久刪除。只有沒有人簽署過的草稿才能刪除。
take-down-delete-button = 刪除草稿
delete-error = 只有沒有人簽署過的草稿才能刪除。
delete-done-heading = 草稿已刪除
# $title: the deleted draft's title.
delete-done-text = 「{ $title }」已刪除。
dashboard-removed-versions = 已移除的版本
status-error-ended = 截止時間已過的聯署無法開放：請先更改截止時間。
