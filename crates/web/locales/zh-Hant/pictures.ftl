## 圖片（議題 15）：由聯署的組織者或提議人上載，用於聯署正文和分享圖片。

organise-tab-pictures = 圖片
pictures-heading = 圖片
pictures-back = 返回
pictures-intro = 上載要在聯署正文中顯示的圖片，並選擇分享聯署時顯示的那一張。圖片保存之前，除像素以外的一切都會被刪除：拍攝地點和時間、相機，以及檔案中的所有其他資料。
pictures-in-text-link = 聯署正文和分享用的圖片
proposal-pictures-link = { $count ->
    [0] 為你的提議加入圖片
   *[other] 你的提議的圖片（{ $count }）
}
pictures-upload-heading = 上載圖片
pictures-full = 這份聯署已有 { $max } 張圖片，已達上限。刪除一張後才可再上載。
pictures-alt = 替代文字
pictures-alt-hint = 為看不到圖片的人描述圖片內容：一兩句話，最多 300 個字。
pictures-file = 圖片
pictures-file-hint = JPEG、PNG 或 WebP 格式的圖片，最大 { $megabytes } MB。
pictures-upload-button = 上載圖片
pictures-list-heading = { $count ->
    [0] 還沒有圖片
   *[other] { $count } 張圖片
}
pictures-none = 你上載的圖片會列在這裏，並附有貼到聯署正文中以顯示圖片的文字。
pictures-size = { $width } × { $height } 像素
pictures-is-share = 分享圖片
pictures-markdown = 要在正文中顯示，請貼上：
pictures-alt-save = 保存替代文字
pictures-share = 分享聯署時使用
pictures-unshare = 分享時不再使用
pictures-delete = 刪除圖片
pictures-done-added = 圖片已上載。把它的文字貼到聯署正文中，就會在那裏顯示。
pictures-done-alt = 替代文字已保存。
pictures-done-share = 分享聯署時現在會顯示這張圖片。
pictures-done-unshare = 分享聯署時現在使用網站本身的圖片。
pictures-done-deleted = 圖片已刪除。
form-error-alt = 請為看不到圖片的人描述圖片（1 至 300 個字，一行）。
picture-error-empty = 請選擇要上載的圖片。
picture-error-too-large = 檔案太大：圖片最大為 { $megabytes } MB。
picture-error-not-a-picture = 這個檔案不是圖片：請上載 JPEG、PNG 或 WebP 格式的圖片。
picture-error-unsupported-format = 不接受 { $format } 格式的圖片：請上載 JPEG、PNG 或 WebP 格式的圖片。
picture-error-corrupt = 無法讀取這張圖片：檔案可能已損壞或不完整。
picture-error-dimensions-too-large = 圖片太大：闊和高最多為 { $pixels } 像素。
picture-error-too-many-pixels = 圖片像素太多：最多為 { $megapixels } 百萬像素。
picture-error-too-small = 圖片太小：闊和高至少為 { $pixels } 像素。
picture-error-encoding-failed = 無法處理這張圖片。請再試一次，或換另一張圖片。
picture-error-too-many = 這份聯署已有 { $max } 張圖片，已達上限。刪除一張後才可再上載。
