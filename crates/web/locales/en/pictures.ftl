## Pictures (issue 15): uploaded into a campaign's text and as its share picture, by its organisers or its proposer.

organise-tab-pictures = Pictures
pictures-heading = Pictures
pictures-back = Back
pictures-intro = Upload the pictures to show in the campaign's text, and choose the one shown when it is shared. Before a picture is kept, everything but its pixels is removed: where and when it was taken, the camera, and every other note in the file.
pictures-in-text-link = Pictures for the campaign's text and for sharing
proposal-pictures-link = { $count ->
    [0] Add pictures to your proposal
    [one] Pictures of your proposal (one)
   *[other] Pictures of your proposal ({ $count })
}
pictures-upload-heading = Upload a picture
pictures-full = This campaign has { $max } pictures, as many as it may have. Delete one to upload another.
pictures-alt = Alt text
pictures-alt-hint = What the picture shows, for people who cannot see it: one or two sentences, up to 300 characters.
pictures-file = Picture
pictures-file-hint = A JPEG, PNG or WebP picture, up to { $megabytes } MB.
pictures-upload-button = Upload the picture
pictures-list-heading = { $count ->
    [0] No pictures yet
    [one] One picture
   *[other] { $count } pictures
}
pictures-none = Pictures you upload are listed here, with the text to paste into the campaign's text to show them.
pictures-size = { $width } × { $height } pixels
pictures-is-share = the share picture
pictures-markdown = To show it in the text, paste:
pictures-alt-save = Save the alt text
pictures-share = Use when the campaign is shared
pictures-unshare = Stop using when shared
pictures-delete = Delete the picture
pictures-done-added = The picture was uploaded. Paste its text into the campaign's text to show it there.
pictures-done-alt = The alt text was saved.
pictures-done-share = That picture is now shown when the campaign is shared.
pictures-done-unshare = The campaign is now shared with the site's own picture.
pictures-done-deleted = The picture was deleted.
form-error-alt = Describe the picture for people who cannot see it: 1 to 300 characters, on one line.
picture-error-empty = Choose a picture to upload.
picture-error-too-large = The file is too large: a picture may be at most { $megabytes } MB.
picture-error-not-a-picture = The file is not a picture: upload a JPEG, PNG or WebP picture.
picture-error-unsupported-format = { $format } pictures are not accepted: upload a JPEG, PNG or WebP picture.
picture-error-corrupt = The picture cannot be read: the file may be damaged or incomplete.
picture-error-dimensions-too-large = The picture is too large: it may be at most { $pixels } pixels wide and high.
picture-error-too-many-pixels = The picture has too many pixels: it may have at most { $megapixels } megapixels.
picture-error-too-small = The picture is too small: it must be at least { $pixels } pixels wide and high.
picture-error-encoding-failed = The picture could not be processed. Try again, or try another picture.
picture-error-too-many = This campaign has { $max } pictures, as many as it may have. Delete one to upload another.
