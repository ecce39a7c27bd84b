## Updates.

organise-tab-updates = Updates
updates-heading = Updates
updates-feed-link = Updates as a feed (Atom)
# $campaign: the campaign's title.
updates-feed-title = Updates: { $campaign }
updates-site-feed-title = Updates of every campaign
updates-post-heading = Post an update
# $language: the version's language, named in itself.
updates-version = In { $language }
updates-text = Text (Markdown)
updates-mail = Also send it by mail to every signer who asked for news (each in the language they signed in)
updates-post-button = Publish the update
updates-past-heading = Updates published
updates-none = No update yet.
form-error-update-title = Enter a title: 1 to 200 characters.
form-error-update-body = Enter the text: at most 20,000 characters.
unsubscribe-heading = Stop the news of this campaign
unsubscribe-text = Press the button and you will get no more updates of this campaign by mail. Your signature stays.
unsubscribe-button = Stop the news
unsubscribed-heading = You will get no more news of this campaign
unsubscribed-text = Your signature still counts.
# $title: the campaign's title.
mail-update-intro = News of the campaign “{ $title }”, which you signed:
mail-update-unsubscribe = To get no more news of this campaign:

## Managing one's signature.

manage-link = Signed already? Manage your signature
manage-heading = Manage your signature
manage-intro = Enter the address you signed with: we send it a link to see, change, download or withdraw your signature.
manage-send = Send me the link
manage-sent-heading = Check your email
manage-sent-text = If this address signed the campaign, a link to manage the signature is on its way.
manage-held-heading = What we hold about your signature
manage-signed-on = Signed on
manage-download = Download it all (JSON)
manage-choices-heading = Your choices
manage-save = Save my choices
# $title: the campaign's title.
mail-manage-subject = Manage your signature: { $title }
mail-manage-intro = You asked to manage your signature of “{ $title }”. This link shows what we hold and lets you change it, download it or withdraw:
mail-manage-not-you = If you did not ask, ignore this message: nothing changes.

## The target's response, and winning.

organise-tab-response = Response
response-intro = Record what whom the campaign addresses answered. It is shown prominently on the campaign’s page.
response-text = The response, in its own words
response-date = Given on
response-link = Where it can be read in full
response-save = Save the response
response-remove = Remove the response
response-heading = The response
# $target: whom the campaign addresses.
response-from = The response of { $target }
response-read-more = Read the full response
form-error-response-text = Enter the response: 1 to 10,000 characters.
form-error-responded-on = Enter a date such as 2004-03-01, or leave it empty.
form-error-link = Enter a web address starting with https:// or http://, or leave it empty.
won-update-title = We won
# $title: the campaign's title.
won-update-body = The campaign “{ $title }” has reached its aim. Thank you for signing and for spreading the word.
