## 图片（议题 15）：由联署的组织者或提议人上传，用于联署正文和分享图片。

organise-tab-pictures = 图片
pictures-heading = 图片
pictures-back = 返回
pictures-intro = 上传要在联署正文中显示的图片，并选择分享联署时显示的那一张。图片保存之前，除像素以外的一切都会被删除：拍摄地点和时间、相机，以及文件中的所有其他信息。
pictures-in-text-link = 联署正文和分享用的图片
proposal-pictures-link = { $count ->
    [0] 为你的提议添加图片
   *[other] 你的提议的图片（{ $count }）
}
pictures-upload-heading = 上传图片
pictures-full = 这份联署已有 { $max } 张图片，已达上限。删除一张后才能再上传。
pictures-alt = 替代文字
pictures-alt-hint = 为看不到图片的人描述图片内容：一两句话，最多 300 个字。
pictures-file = 图片
pictures-file-hint = JPEG、PNG 或 WebP 格式的图片，最大 { $megabytes } MB。
pictures-upload-button = 上传图片
pictures-list-heading = { $count ->
    [0] 还没有图片
   *[other] { $count } 张图片
}
pictures-none = 你上传的图片会列在这里，并附有粘贴到联署正文中以显示图片的文字。
pictures-size = { $width } × { $height } 像素
pictures-is-share = 分享图片
pictures-markdown = 要在正文中显示，请粘贴：
pictures-alt-save = 保存替代文字
pictures-share = 分享联署时使用
pictures-unshare = 分享时不再使用
pictures-delete = 删除图片
pictures-done-added = 图片已上传。把它的文字粘贴到联署正文中即可在那里显示。
pictures-done-alt = 替代文字已保存。
pictures-done-share = 分享联署时现在会显示这张图片。
pictures-done-unshare = 分享联署时现在使用网站自己的图片。
pictures-done-deleted = 图片已删除。
form-error-alt = 请为看不到图片的人描述图片（1 至 300 个字，一行）。
picture-error-empty = 请选择要上传的图片。
picture-error-too-large = 文件太大：图片最大为 { $megabytes } MB。
picture-error-not-a-picture = 这个文件不是图片：请上传 JPEG、PNG 或 WebP 格式的图片。
picture-error-unsupported-format = 不接受 { $format } 格式的图片：请上传 JPEG、PNG 或 WebP 格式的图片。
picture-error-corrupt = 无法读取这张图片：文件可能已损坏或不完整。
picture-error-dimensions-too-large = 图片太大：宽和高最多为 { $pixels } 像素。
picture-error-too-many-pixels = 图片像素太多：最多为 { $megapixels } 百万像素。
picture-error-too-small = 图片太小：宽和高至少为 { $pixels } 像素。
picture-error-encoding-failed = 无法处理这张图片。请再试一次，或换一张图片。
picture-error-too-many = 这份联署已有 { $max } 张图片，已达上限。删除一张后才能再上传。
