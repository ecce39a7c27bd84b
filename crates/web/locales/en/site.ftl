## The site's frame: header, footer, language switcher.

# The language's name in itself, shown in the language switcher.
language-name = English
site-name = Undersigned
skip-to-content = Skip to the content
language-switcher-label = Language
footer-privacy = This site loads nothing from other sites and does not store your IP address: only a hash of it, for a few days against abuse, then deleted with the key that made it. Email addresses are never shown.

## Dates. $day and $year are numbers; $month is the month's name below.

# Between groups of three digits in large numbers (1,234,567).
number-group-separator = ,
date-long = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## The home page.

home-heading = Campaigns
home-empty = There are no campaigns yet.

## Error pages.

error-home-link = Go to the list of campaigns
error-400-title = That request could not be understood
error-400-text = Something in the request was not as expected. Go back, check what you entered and try again.
error-404-title = Page not found
error-404-text = There is no page at this address. It may have moved, or the campaign may have been taken down.
error-405-title = That action is not possible here
error-405-text = This address does not accept that kind of request.
error-413-title = Too much data
error-413-text = What you sent is larger than this site accepts. Shorten it and try again.
error-429-title = Too many requests
error-429-text = Too many requests came from your connection in a short time. Wait a while, then try again.
error-500-title = Something went wrong
error-500-text = The site ran into a problem on its side. Nothing you did caused it. Please try again in a moment.
error-503-title = Temporarily unavailable
error-503-text = The site cannot reach its database just now. Please try again in a minute.
