"""English messages (the reference catalog: every key is here)."""

from __future__ import annotations

from bot.locales import Catalog, Plural

MESSAGES: Catalog = {
    # commands: the names a person types, and their arguments (``/count <text>``)
    "command.start": "start",
    "command.help": "help",
    "command.balance": "balance",
    "command.count": "count",
    "command.status": "status",
    "command.history": "history",
    "command.packs": "packs",
    "command.lang": "lang",
    "command.timezone": "timezone",
    "command.cancel": "cancel",
    "command.send": "send",
    "command.buy": "buy",
    "command.signup": "signup",
    "command.confirm": "confirm",
    "command.resend": "resend",
    "command.login": "login",
    "command.logout": "logout",
    "args.count": "<text>",
    "args.status": "[id]",
    "args.history": "[mine]",
    "args.lang": "en|pt|es",
    "args.timezone": "[zone]",
    "args.send": "[numbers text]",
    "args.buy": "<pack> [code]",
    "args.confirm": "<code>",
    "history.mine": "mine",
    # units, for a line with more than one count
    "unit.recipients": Plural(one="{count} recipient", other="{count} recipients"),
    "unit.segments": Plural(one="{count} segment", other="{count} segments"),
    "unit.credits": Plural(one="{count} credit", other="{count} credits"),
    # forms (Slack modals)
    "form.cancel": "Cancel",
    "form.send.title": "Send an SMS",
    "form.send.submit": "Preview",
    "form.recipients": "Recipients",
    "form.recipients_hint": (
        "Spaces, commas or one per line. Leave it empty to share a CSV or TXT file in the "
        "conversation instead."
    ),
    "form.text": "Text",
    "form.sender": "Sender",
    "form.sender_hint": "Up to 11 letters or 16 digits.",
    "form.when": "When",
    "form.when_placeholder": "now",
    "form.when_hint": "Empty for now, or e.g. 2026-12-01 09:30 (your timezone, see {command}).",
    "form.window": "Delivery window",
    "form.window_placeholder": "any time",
    "form.window_hint": "Empty for any time, or e.g. 09:00-20:00, working days, or both "
    "(your timezone, see {command}).",
    "send.ask_window": "Deliver only at some hours? Type a daily window in {zone}, e.g. "
    '09:00-20:00, and/or "working days"; or any time.',
    "button.any_time": "Any time",
    "window.unreadable": 'I could not read that window: "{text}". Type e.g. 09:00-20:00, '
    "working days, or both (9h-20h working days).",
    "window.backwards": "A window must end after it begins on the same day ({begin}–{end}): "
    "delivery cannot run across midnight.",
    "window.provider_wraps": "In uSendit's time ({zone}) that window is {begin}–{end}, which "
    "runs across midnight there. Choose hours that end before midnight in {zone}.",
    "window.working_days": "working days",
    "window.on_working_days": "on working days",
    "send.preview_window": "Delivered only {window}",
    "send.preview_window_opens": "The window is closed when it goes: delivery starts "
    "{when} ({zone}).",
    "form.login.title": "Link uSendit",
    "form.login.submit": "Link",
    "form.username": "uSendit username",
    "form.password": "Password",
    "form.password_hint": "Checked with uSendit, then stored encrypted.",
    "form.error.recipients": "Type at least one number.",
    "form.error.text": "Type the message.",
    "form.error.username": "One word, as on uSendit.",
    "form.error.password": "Type the password.",
    "form.error.title": "Please correct the form:",
    "form.error.recipients_invalid": "Not numbers an SMS can reach: {numbers}.",
    "form.error.unsendable": "It holds a character an SMS cannot carry ({chars}).",
    # adapters
    "adapter.file_too_large": "{name} is larger than {limit} MB, so I did not read it. "
    "Send a smaller file (a CSV or text file with one number per line).",
    "adapter.file_unreadable": "I could not download {name}. Please send it again.",
    "adapter.not_deleted": "I could not delete your message with the password. Delete it "
    "yourself and change the password on uSendit now.",
    "adapter.delete_yourself": "I cannot delete your message here: please delete it yourself "
    "(hover it, ⋮, Delete message).",
    "adapter.not_a_member": "I am not in this conversation, so I cannot read an answer "
    "typed here. Add me to the channel ({invite} and my name) and answer again, or start "
    "over in a direct message with me.",
    "adapter.form_failed": "The form could not open. Please try {command} again.",
    "adapter.private_only": "I can only show that in a private chat: open one with me and try "
    "again.",
    "adapter.media_recipients": "I cannot read numbers from that. Type them, or send a CSV or "
    "TXT file with one number per line.",
    "adapter.media_text": "I can only read text here: please type your answer.",
    "adapter.keyboard.balance": "Balance",
    "adapter.keyboard.send": "Send",
    "adapter.keyboard.status": "Status",
    # roles
    "roles.unknown_user": (
        "Sorry, you are not allowed to use this bot yet. Ask an admin to add your id: {id}"
    ),
    "roles.denied": "Sorry, that needs the {role} role.",
    "role.NONE": "none",
    "role.VIEWER": "viewer",
    "role.SENDER": "sender",
    "role.ADMIN": "admin",
    # errors
    "error.campaign": "That cannot be done: {detail}",
    "error.unsendable": "{what} holds a character an SMS cannot carry{chars}; "
    "remove it and send it again.",
    "error.internal": (
        "Something went wrong on our side; please try again. "
        "/status shows what a campaign has sent."
    ),
    "error.unknown_command": "I don't know {name}. Type /help to see the commands.",
    "error.store_before": "My database is not answering, so I did nothing with that. "
    "Please try again in a minute.",
    "error.store": "My database stopped answering while I was on it, so I could not finish. "
    "Once it is back, /status shows what a campaign has done.",
    "error.unknown_command_near": "I don't know {name}. Did you mean {near}? Type /help to "
    "see the commands.",
    "error.stale_button": "That button is no longer valid.",
    "error.no_wizard": "I'm not waiting for an answer. Type /help to see the commands.",
    "wizard.expired": "Your /{name} conversation expired after an hour without answers. "
    "Start it again with /{name}.",
    "provider.down": "uSendit cannot be reached right now. Nothing was charged; try again later.",
    "provider.error_page": "uSendit answered with an error page (HTTP {status}) instead of an "
    "answer. It may have done it anyway; check in a moment before retrying.",
    "provider.unreadable": "uSendit's answer could not be read. It may have done it anyway; "
    "check in a moment before retrying.",
    "provider.fault": "uSendit reported an error of its own while doing that. Try again later; "
    "/status shows what a campaign has done.",
    "provider.unknown": (
        "uSendit did not answer in time. It may still be working on it; "
        "check again in a moment before retrying."
    ),
    "account.none": "No uSendit account is linked. An admin can link one with /login "
    "in a private chat, or create one with /signup.",
    "account.private_only": (
        "For your safety, passwords are only accepted in a private chat with me."
    ),
    # help
    "help.intro": "I'm your bulk-SMS desk on uSendit. Commands:",
    "help.sandbox": "(Running on the local uSendit sandbox: no real SMS, no real money.)",
    "help.start": "what I do",
    "help.help": "this list",
    "help.balance": "credits left",
    "help.count": "count the characters and segments of an SMS",
    "help.status": "status of a campaign (the latest without an id)",
    "help.history": "the last campaigns of this chat (mine: yours, from any chat)",
    "help.packs": "credit packs for sale",
    "help.lang": "reply language",
    "help.timezone": "your timezone for schedules, e.g. Europe/Lisbon",
    "help.cancel": "leave the current conversation",
    "help.send": "send an SMS campaign (or /send <numbers> <text>)",
    "help.buy": "payment data for a credit pack",
    "help.signup": "create a uSendit account",
    "help.confirm": "confirm the account with the code received by SMS",
    "help.resend": "send the confirmation code again",
    "help.login": "link a uSendit account (private chat only)",
    "help.logout": "unlink your uSendit account",
    # buttons
    "button.balance": "Balance",
    "button.use_gsm7": "Use without accents",
    "button.keep_text": "Keep as written",
    "button.default_sender": "Default sender",
    "button.now": "Send now",
    "button.confirm": "Confirm",
    "button.edit": "Edit",
    "button.cancel": "Cancel",
    "button.resend": "Resend the unsent part",
    "button.resend_sure": "Yes, resend",
    "button.keep_waiting": "No, wait",
    "button.continue": "Continue sending",
    "button.create_account": "Create account",
    # balance
    "balance.ok": Plural(
        by="credits",
        one="{credits} credit left on {account}.",
        other="{credits} credits left on {account}.",
    ),
    # count
    "count.usage": "Write the text after the command: /count Hello!",
    "count.encoding": "Encoding: {encoding}",
    "count.units.GSM7": "Characters: {units} (septets)",
    "count.units.UCS2": "Characters: {units} (UTF-16 units)",
    "count.segments": "Segments: {segments} (up to {per} characters each)",
    "count.remaining": "Left in the last segment: {remaining}",
    "count.forced": "Forced into UCS-2 by: {chars}",
    "count.too_long": "Too long: uSendit takes at most {max} segments.",
    "count.provider_agrees": "uSendit counts the same.",
    "count.provider_differs": Plural(
        by="segments",
        one="uSendit counts differently: {segments} segment in {encoding}.",
        other="uSendit counts differently: {segments} segments in {encoding}.",
    ),
    "count.provider_unavailable": "(uSendit's own count is not available right now.)",
    "count.alternative": Plural(
        by="segments",
        one='Without accents it is GSM-7, {segments} segment: "{text}"',
        other='Without accents it is GSM-7, {segments} segments: "{text}"',
    ),
    # lang, timezone, cancel
    "lang.usage": "Choose a language: /lang en, /lang pt or /lang es (now: {current}).",
    "lang.ok": "I'll reply in English.",
    "timezone.current": "Your timezone is {zone}. Change it with /timezone Europe/Lisbon.",
    "timezone.unknown": "I don't know the timezone {zone}. Try e.g. Europe/Lisbon.",
    "timezone.ok": "Schedules are now read in {zone}.",
    "cancel.nothing": "There is nothing to cancel.",
    "cancel.ok": "Cancelled.",
    # send wizard
    "send.ask_recipients": "Who gets it? Type the numbers (spaces, commas or one per line) "
    "or attach a CSV/TXT file. /cancel to stop.",
    "send.one_line_usage": "Use: /send +351912345678,+351913333333 Your text",
    "send.no_file_now": "I'm not expecting a file now.",
    "send.ask_text": "Now the text of the message.",
    "send.text_too_long": "That text needs {segments} segments; uSendit takes at most {max}. "
    "Please shorten it.",
    "send.ucs2_offer": Plural(
        by="segments",
        one=Plural(
            by="plain_segments",
            one="Accents make this text UCS-2: {segments} segment per number. "
            'Without accents it is GSM-7, {plain_segments} segment: "{plain}"',
            other="Accents make this text UCS-2: {segments} segment per number. "
            'Without accents it is GSM-7, {plain_segments} segments: "{plain}"',
        ),
        other=Plural(
            by="plain_segments",
            one="Accents make this text UCS-2: {segments} segments per number. "
            'Without accents it is GSM-7, {plain_segments} segment: "{plain}"',
            other="Accents make this text UCS-2: {segments} segments per number. "
            'Without accents it is GSM-7, {plain_segments} segments: "{plain}"',
        ),
    ),
    "send.ask_sender": "Sender name (up to 11 letters or 16 digits), or the default.",
    "send.ask_when": "When? Send now, or a date and time in {zone}, e.g. {example}.",
    "send.when_unreadable": "I could not read that time. Use e.g. 2026-12-01 09:30 ({zone}).",
    "send.when_skipped": "That time does not happen in {zone}: the clocks skip it that day. "
    "Choose another.",
    "send.when_past": "That time has passed. Choose a moment in the future.",
    "send.preview_reminder": "Please use the buttons below:",
    "send.preview_title": "Campaign #{id}, ready to send:",
    "send.preview_facts": Plural(
        by="segments",
        one="Recipients: {recipients}\nEncoding: {encoding}, {segments} segment per number\n"
        "Credits needed: {needed} (balance: {balance})\nSender: {sender}\nWhen: {when}",
        other="Recipients: {recipients}\nEncoding: {encoding}, {segments} segments per number\n"
        "Credits needed: {needed} (balance: {balance})\nSender: {sender}\nWhen: {when}",
    ),
    "send.preview_short": "Warning: the balance does not cover this send.",
    "send.now": "now",
    "send.default_sender": "default",
    "send.already_confirmed": "Campaign #{id} was already confirmed or cancelled; "
    "nothing more was done.",
    "send.preview_outdated": "Campaign #{id} was changed after that preview; "
    "confirm the newest preview.",
    "send.plain_offer": Plural(
        by="segments",
        one="Without accents it would be GSM-7, {segments} segment per number.",
        other="Without accents it would be GSM-7, {segments} segments per number.",
    ),
    "home.balance": Plural(
        by="credits",
        one="*{credits}* credit on {account}",
        other="*{credits}* credits on {account}",
    ),
    "home.campaigns": "Your latest campaigns",
    "home.recipients": "Recipients: {count}",
    "home.outcome": "Accepted: {accepted} · rejected: {rejected}",
    "send.ask_file": "Now share the CSV or TXT file with the numbers here (or type them).",
    "send.resend_sure": Plural(
        one="uSendit has had no trace of {count} part ({recipients}, {credits}) for {waited}, "
        "so it was most likely never sent. If uSendit is still working on it after "
        "all, resending sends it twice. Resend it?",
        other="uSendit has had no trace of {count} parts ({recipients}, {credits}) for "
        "{waited}, so they were most likely never sent. If uSendit is still working "
        "on them after all, resending sends them twice. Resend them?",
    ),
    "send.resend_kept": "Nothing was resent. /status shows the campaign.",
    "send.cancelled": "Campaign #{id} cancelled. Nothing was sent.",
    "send.edit": Plural(
        one="Editing: {count} recipient kept. Send the new text (it was: {text})",
        other="Editing: {count} recipients kept. Send the new text (it was: {text})",
    ),
    "send.sending": "Campaign #{id}: sending…",
    "send.progress": Plural(
        by="total",
        one="Campaign #{id}: {done}/{total} part done, accepted: {accepted}, rejected: {rejected}…",
        other="Campaign #{id}: {done}/{total} parts done, accepted: {accepted}, "
        "rejected: {rejected}…",
    ),
    "send.stopped": "Campaign #{id}: stopped.",
    "send.insufficient": "Not enough credits: this send needs {needed} and the account has "
    "{available}. Buy credits with /packs and /buy, then press Continue.",
    # recipients
    "recipients.summary": Plural(
        one="{count} recipient from {source}.",
        other="{count} recipients from {source}.",
    ),
    "recipients.rejected.INVALID": "Line {line}: {raw} is not a valid phone number.",
    "recipients.rejected.NOT_MOBILE": "Line {line}: {raw} is not a mobile number.",
    "recipients.rejected.DUPLICATE": "Line {line}: {raw} repeats line {first}.",
    "recipients.more": Plural(
        one="…and {count} more line left out.",
        other="…and {count} more lines left out.",
    ),
    "recipients.none": "No valid number: send them again.",
    "recipients.error.FILE_TOO_LARGE": "That file is too large (the limit is {limit} bytes).",
    "recipients.error.TOO_MANY_ROWS": "That file has too many rows (the limit is {limit}).",
    "recipients.error.NOT_TEXT": "That file is not a CSV or text file.",
    "recipients.error.NO_PHONE_COLUMN": "I could not find a column of phone numbers in that file.",
    "recipients.error.EMPTY": "That file is empty.",
    # status, history
    "status.title": "Campaign #{id}: {state}",
    "status.recipients": "{recipients} × {segments} = {credits}",
    "status.scheduled": "Scheduled for {when} ({zone})",
    "status.scheduled_past": "Scheduled for {when} ({zone}): its time has come",
    "schedule.report": (
        "⏰ Scheduled campaign #{id}: its time came ({when}, {zone}). uSendit's latest word:"
    ),
    "status.chunks": "Parts accepted: {done}/{total}",
    "status.counts": "Accepted: {accepted}, rejected: {rejected}, credits spent: {credits}",
    "status.not_sent": Plural(
        one="{count} part was not sent; it can be resent.",
        other="{count} parts were not sent; they can be resent.",
    ),
    "status.unknown": Plural(
        one="{count} part is being checked with uSendit.",
        other="{count} parts are being checked with uSendit.",
    ),
    "status.duplicate": Plural(
        one="Warning: {count} part was sent twice by uSendit.",
        other="Warning: {count} parts were sent twice by uSendit.",
    ),
    "status.skipped": Plural(
        one="{count} part was not sent yet (see the reason); Continue sends it.",
        other="{count} parts were not sent yet (see the reason); Continue sends them.",
    ),
    "status.safe_after": Plural(
        one="If uSendit still has no trace of it at {time}, it can be resent then.",
        other="If uSendit still has no trace of them at {time}, they can be resent then.",
    ),
    "status.rejected_chunks": Plural(
        one="{count} part was refused by uSendit.",
        other="{count} parts were refused by uSendit.",
    ),
    "status.reason": "Reason: {reason}",
    "status.none": "No campaigns here yet. Start one with /send.",
    "status.not_found": "No campaign {id} in this chat.",
    "status.usage": "Use /status or /status <campaign id>.",
    "history.title": "Latest campaigns:",
    "history.line": Plural(
        one="#{id} {when} {state} — {count} recipient — {text}",
        other="#{id} {when} {state} — {count} recipients — {text}",
    ),
    "state.DRAFT": "draft",
    "state.CONFIRMED": "confirmed",
    "state.CANCELLED": "cancelled",
    "state.SENDING": "sending",
    "state.STOPPED": "stopped",
    "state.DONE": "done",
    "state.PARTIAL": "partly sent",
    "state.FAILED": "failed",
    # packs, buy
    "packs.title": "Credit packs for {account}:",
    "packs.line": Plural(
        by="credits",
        one="{id}. {description}: {credits} credit, {price} + {tax}% VAT = {total}",
        other="{id}. {description}: {credits} credits, {price} + {tax}% VAT = {total}",
    ),
    "packs.hint": "Buy one with /buy <number> [promo code].",
    "buy.usage": "Use: /buy <pack number> [promo code]. See /packs.",
    "buy.ok": "Pack {pack}: pay {amount} by Multibanco (entity {entity}, reference "
    "{reference}) or by card: {link}. The credits arrive once paid.",
    # signup, confirm, login
    "signup.intro": "Let's create a uSendit account. /cancel stops at any time.",
    "signup.ask.account_name": "Company or account name?",
    "signup.ask.username": "Username (letters, digits, . _ -)?",
    "signup.ask.password": "Password (6 to 50 characters)? I'll delete your message at once.",
    "signup.ask.password_hidden": "Password (6 to 50 characters)? It is not shown as you type.",
    "signup.ask.email": "Email address?",
    "signup.ask.invoice_name": "Invoice name?",
    "signup.ask.address": "Invoice address?",
    "signup.ask.city": "City?",
    "signup.bad.account_name": "The name must have 1 to 100 characters.",
    "signup.bad.username": "Use 1 to 50 letters, digits, dots, dashes or underscores.",
    "signup.bad.password": "The password must have 6 to 50 characters.",
    "signup.bad.email": "That is not an email address.",
    "signup.bad.required": "Please answer with 1 to 100 characters.",
    "signup.ask.country": "Country of the invoice, as its two-letter code (PT, ES, FR, BR…)?",
    "signup.bad.country": "Write the country as its two-letter code, e.g. PT, ES, FR or BR.",
    "signup.ask.msisdn": "Mobile number for the confirmation SMS?",
    "signup.bad.msisdn": (
        "That is not a mobile number in {country}. Write it with its country code, e.g. "
        "+351912345678."
    ),
    "signup.ask.tax_id": "Tax number (e.g. {example})?",
    "signup.ask.tax_id_free": "Tax number, as on your invoices in {country}?",
    "signup.bad.tax_id": "That is not a tax number of {country}; it looks like {example}.",
    "signup.bad.tax_id_free": "Write the tax number with 4 to 20 letters and digits.",
    "signup.ask.zip_code": "Postcode (e.g. {example})?",
    "signup.ask.zip_code_free": "Postcode?",
    "signup.bad.zip_code": "That is not a postcode of {country}; it looks like {example}.",
    "signup.bad.zip_code_free": (
        "Write the postcode with 2 to 12 letters, digits, spaces or dashes."
    ),
    "signup.review": "Create this account?\nName: {account_name}\nUsername: {username}\n"
    "Email: {email}\nMobile: {msisdn}\nInvoice: {invoice_name}, tax no. {tax_id}, {address}, "
    "{zip_code} {city}, {country}",
    "signup.created": "Account {username} created. uSendit sent a code by SMS to {msisdn}: "
    "send /confirm <code>.",
    "confirm.usage": "Use: /confirm <code from the SMS>",
    "confirm.ok": "Account {username} confirmed. Check /balance.",
    "login.ask_username": "uSendit username?",
    "login.ask_password": "Password? I'll delete your message at once.",
    "login.ask_password_hidden": "Password? It is not shown as you type.",
    "login.wrong": "uSendit does not know that username and password. Nothing was saved.",
    "login.ok": Plural(
        by="credits",
        one="Linked to {username} ({credits} credit). Your password is stored encrypted.",
        other="Linked to {username} ({credits} credits). Your password is stored encrypted.",
    ),
    "login.pending": "Linked to {username}, which is not confirmed yet: /confirm <code>.",
    "login.change_password": "You wrote a password in a group: change it on uSendit now.",
    "logout.ok": "Unlinked. Your account's password is no longer used here.",
    "logout.none": "No account is linked for you.",
    # templates, saved lists, the opt-out list (command names and the words that act on them)
    "command.template": "template",
    "command.list": "list",
    "command.optout": "optout",
    "args.template": "[save <name> <text> | show <name> | delete <name>]",
    "args.list": "[save <name> [#id] | show <name> | delete <name>]",
    "args.optout": "[add|remove <numbers>]",
    "verb.save": "save",
    "verb.list": "list",
    "verb.show": "show",
    "verb.delete": "delete",
    "verb.add": "add",
    "verb.remove": "remove",
    "help.template": "this chat's saved SMS texts, to send by name",
    "help.list": "this chat's saved recipient lists (list:<name> as the recipients)",
    "help.optout": "numbers that never get an SMS from your account",
    "saved.bad_name": "A name has 1 to {max} letters or digits (and - _ .), without spaces.",
    "template.usage": "Use: /template save <name> <text>, /template show <name>, "
    "/template delete <name>, or /template to see them all.",
    "template.saved": Plural(
        by="segments",
        one="Template {name} saved ({segments} segment). In /send, press its button or "
        "type template:{name}.",
        other="Template {name} saved ({segments} segments). In /send, press its button or "
        "type template:{name}.",
    ),
    "template.replaced": Plural(
        by="segments",
        one="Template {name} replaced with the new text ({segments} segment).",
        other="Template {name} replaced with the new text ({segments} segments).",
    ),
    "template.deleted": "Template {name} deleted.",
    "template.unknown": "There is no template {name} in this chat. /template shows them.",
    "template.none": "No templates in this chat yet. Save one with /template save <name> <text>.",
    "template.title": Plural(
        one="{count} template in this chat:", other="{count} templates in this chat:"
    ),
    "template.show": Plural(
        by="segments",
        one="Template {name} ({segments} segment):\n{text}",
        other="Template {name} ({segments} segments):\n{text}",
    ),
    "list.usage": "Use: /list save <name> [#campaign], /list show <name>, /list delete <name>, "
    "or /list to see them all.",
    "list.saved": Plural(
        one="List {name} saved: {count} number, from campaign #{id}. In /send, type {use} or "
        "press its button.",
        other="List {name} saved: {count} numbers, from campaign #{id}. In /send, type {use} "
        "or press its button.",
    ),
    "list.replaced": Plural(
        one="List {name} replaced: now {count} number, from campaign #{id}. In /send, type "
        "{use} or press its button.",
        other="List {name} replaced: now {count} numbers, from campaign #{id}. In /send, type "
        "{use} or press its button.",
    ),
    "list.deleted": "List {name} deleted.",
    "list.unknown": "There is no saved list {name} in this chat. /list shows them.",
    "list.none": "No saved lists in this chat yet. After a /send, keep its numbers with "
    "/list save <name>.",
    "list.no_upload": "You have given no numbers in this chat yet: start a /send with them "
    "(typed or as a file), then /list save <name>.",
    "list.title": Plural(
        one="{count} saved list in this chat:", other="{count} saved lists in this chat:"
    ),
    "list.line": Plural(
        one="• {name}: {count} number, last used: {used}",
        other="• {name}: {count} numbers, last used: {used}",
    ),
    "list.show": Plural(
        one="List {name}: {count} number, saved {saved}, last used: {used}.",
        other="List {name}: {count} numbers, saved {saved}, last used: {used}.",
    ),
    "list.never_used": "never",
    "list.empty": "The list {name} has no numbers.",
    "optout.usage": "Use: /optout add <numbers> (or attach a CSV/TXT file), /optout remove "
    "<numbers>, or /optout to see how many there are.",
    "optout.ask": "Type the numbers to put on the opt-out list, or share a CSV/TXT file with "
    "them. /cancel to stop.",
    "optout.count": Plural(
        one="{count} number is on the opt-out list of {account}: it never gets an SMS from it.",
        other="{count} numbers are on the opt-out list of {account}: they never get an SMS "
        "from it.",
    ),
    "optout.read": Plural(
        one="{count} number read from {source}.", other="{count} numbers read from {source}."
    ),
    "optout.none_read": "No valid number: send them again.",
    "optout.added": Plural(
        one="{count} number put on the opt-out list.",
        other="{count} numbers put on the opt-out list.",
    ),
    "optout.already": Plural(one="{count} was on it already.", other="{count} were on it already."),
    "optout.removed": Plural(
        one="{count} number taken off the opt-out list.",
        other="{count} numbers taken off the opt-out list.",
    ),
    "optout.not_there": Plural(one="{count} was not on it.", other="{count} were not on it."),
    "optout.total": Plural(
        one="The list of {account} now has {count} number.",
        other="The list of {account} now has {count} numbers.",
    ),
    "send.opted_out": Plural(
        one="{count} of them is on the opt-out list and is left out.",
        other="{count} of them are on the opt-out list and are left out.",
    ),
    "send.everyone_opted_out": Plural(
        one="That number is on the opt-out list: there is nobody to send to.",
        other="All {count} numbers are on the opt-out list: there is nobody to send to.",
    ),
    "send.preview_opted_out": Plural(
        one="Left out: {count} number on the opt-out list.",
        other="Left out: {count} numbers on the opt-out list.",
    ),
    "status.excluded": Plural(
        one="Excluded: {count} number on the opt-out list (never sent, never charged).",
        other="Excluded: {count} numbers on the opt-out list (never sent, never charged).",
    ),
    # credit pushes: a low-credit alert, a payment received
    "command.alert": "alert",
    "args.alert": "[credits|off]",
    "help.alert": "an alert here when the account's credits run low",
    "alert.off_word": "off",
    "alert.none": "No low-credit alert for {account} in this chat. Set one: /alert 500",
    "alert.current": Plural(
        one="This chat is alerted when {account} has less than {count} credit.",
        other="This chat is alerted when {account} has less than {count} credits.",
    ),
    "alert.set": Plural(
        one="Done: this chat will be alerted when {account} has less than {count} credit.",
        other="Done: this chat will be alerted when {account} has less than {count} credits.",
    ),
    "alert.removed": "The low-credit alert for {account} is off in this chat.",
    "alert.usage": "Use: /alert <credits> (for example /alert 500), or /alert off.",
    "alert.low": "Credits running low: {account} has {credits} left, below the alert at "
    "{threshold}. /packs shows what you can buy.",
    "alert.paid": Plural(
        one="Payment received: {count} credit added, {account} now has {credits}.",
        other="Payment received: {count} credits added, {account} now has {credits}.",
    ),
    # a campaign's results as a file (/status, Export)
    "button.export": "Export results (CSV)",
    "export.ready": Plural(
        one="Results of #{id}: {count} number, one row each.",
        other="Results of #{id}: {count} numbers, one row each.",
    ),
    "export.failed": "I could not write the results file of #{id}; try again in a moment.",
    "export.number": "number",
    "export.status": "status",
    "export.reason": "reason",
    "export.msg_id": "uSendit message id",
    "export.sms": "SMS (parts)",
    "export.text": "Text",
    "export.excluded": "On the opt-out list: never sent, never charged.",
    "export.state.pending": "Not sent yet.",
    "export.state.in_flight": "Being sent.",
    "export.state.accepted": "Accepted; uSendit gave no status for this number.",
    "export.state.rejected": "Refused by uSendit.",
    "export.state.unknown": "Not known yet whether it was sent; being checked with uSendit.",
    "export.state.not_sent": "Not sent: uSendit has no trace of it.",
    "export.state.skipped": "Not sent: the campaign stopped before this part.",
    "export.state.duplicate": "Sent twice: uSendit holds two events for this part.",
    "form.template": "Template",
    "form.template_placeholder": "Choose a template",
    "form.list": "Saved list",
    "form.list_placeholder": "Choose a saved list",
    "form.text_hint": "Or leave it empty and choose a template below.",
    "form.recipients_hint_lists": "Spaces, commas or one per line, or list:<name>. Leave it "
    "empty to choose a saved list below, or to share a CSV or TXT file in the conversation.",
    "form.error.template_and_text": "Choose a template or type a text, not both.",
    "form.error.list_and_recipients": "Choose a saved list or type numbers, not both.",
    # approval of big sends (/approval)
    "command.approval": "approval",
    "args.approval": "[credits|off|chat]",
    "help.approval": "campaigns over a number of credits wait for a second person",
    "approval.off_word": "off",
    "approval.chat_word": "chat",
    "approval.usage": "Use: /approval <credits> (for example /approval 5000), /approval off, "
    "or /approval chat in the chat where approvals are decided (/approval chat off undoes it).",
    "approval.none": "Campaigns made in this chat need no approval. An admin sets a limit: "
    "/approval 5000",
    "approval.current": Plural(
        one="Campaigns made in this chat of more than {count} credit wait for a second person "
        "(a sender or admin who is not the author), for at most {minutes} min.",
        other="Campaigns made in this chat of more than {count} credits wait for a second "
        "person (a sender or admin who is not the author), for at most {minutes} min.",
    ),
    "approval.set": Plural(
        one="Done: campaigns made in this chat of more than {count} credit will wait for a "
        "second person (a sender or admin who is not the author), for at most {minutes} min.",
        other="Done: campaigns made in this chat of more than {count} credits will wait for a "
        "second person (a sender or admin who is not the author), for at most {minutes} min.",
    ),
    "approval.removed": "Done: campaigns made in this chat need no approval now.",
    "approval.chat_set": "Done: approvals of every campaign of {account} are asked in this "
    "chat now.",
    "approval.chat_removed": "Done: approvals of campaigns of {account} are asked in the "
    "chat each campaign was made in.",
    "approval.chat_own": "Approvals of campaigns of {account} are asked in the chat each "
    "campaign was made in.",
    "approval.chat_this": "Approvals of campaigns of {account} are asked in this chat.",
    "approval.chat_other": "Approvals of campaigns of {account} are asked in another chat "
    "(named there with /approval chat).",
    "approval.asked_here": Plural(
        one="#{id} takes {credits}, over the approval limit of {count} credit: it "
        "waits for a sender or admin other than you to approve it here, until {time}.",
        other="#{id} takes {credits}, over the approval limit of {count} credits: it "
        "waits for a sender or admin other than you to approve it here, until {time}.",
    ),
    "approval.asked_elsewhere": Plural(
        one="#{id} takes {credits}, over the approval limit of {count} credit: it "
        "waits for a sender or admin other than you to approve it in the approvers' chat, "
        "until {time}.",
        other="#{id} takes {credits}, over the approval limit of {count} credits: it "
        "waits for a sender or admin other than you to approve it in the approvers' chat, "
        "until {time}.",
    ),
    "approval.waiting": "#{id} is waiting for approval (until {time}): it cannot be changed, "
    "confirmed or cancelled meanwhile.",
    "approval.already_approved": "#{id} was already approved by {name}.",
    "approval.already_rejected": "#{id} was already rejected by {name}.",
    "approval.already_expired": "The approval of #{id} expired: it was not sent.",
    "approval.own": "You made #{id}: someone else must approve or reject it.",
    "approval.unavailable": "#{id} changed after its approval was asked: it can no longer be "
    "approved, and nothing was sent.",
    "approval.you_approved": "You approved #{id}: it is being sent.",
    "approval.you_rejected": "You rejected #{id}: nothing will be sent.",
    "approval.status_waiting": "Waiting for approval by a sender or admin other than {name}, "
    "until {time}.",
    "approval.status_approved": "Approved by {name}.",
    "approval.status_rejected": "Rejected by {name}: nothing was sent.",
    "approval.status_expired": "Nobody approved it in time: nothing was sent.",
    "approval.request": Plural(
        one="Approval needed: #{id} by {name}, {recipients}, {credits} (limit: {count} credit).",
        other="Approval needed: #{id} by {name}, {recipients}, {credits} (limit: {count} credits).",
    ),
    "approval.request_text": "Text: {text}",
    "approval.request_when": "Sends: {when}. Decide before {time}.",
    "approval.decided_approved": "Approved by {name}.",
    "approval.decided_rejected": "Rejected by {name}.",
    "approval.decided_expired": "Expired: nobody decided in time; it was not sent.",
    "approval.approved": "{name} approved #{id}: it is being sent.",
    "approval.rejected": "{name} rejected #{id}: nothing was sent.",
    "approval.expired": "Nobody approved #{id} in time: nothing was sent. /send starts again.",
    "button.approve": "Approve",
    "button.reject": "Reject",
    # the audit log (/audit)
    "command.audit": "audit",
    "args.audit": "[number]",
    "help.audit": "the audit log: who spent credits or changed access, with a CSV export",
    "audit.usage": "Use /audit, or /audit <how many> (at most {max}).",
    "audit.none": "Nothing in the audit log yet.",
    "audit.title_account": "Audit log of {account} and this chat, newest first:",
    "audit.title_chat": "Audit log of this chat, newest first:",
    "audit.line": "{when} · {who} in {where}: {what}",
    "audit.refused": "{what}, refused: {reason}",
    "button.export_audit": "Export (CSV)",
    "audit.export_ready": Plural(
        one="The audit log: {count} entry, one row each.",
        other="The audit log: {count} entries, one row each.",
    ),
    "audit.export_failed": "I could not write the audit log file; try again in a moment.",
    "audit.what.confirm": "confirmed campaign #{campaign} ({credits})",
    "audit.what.continue": "asked to continue sending campaign #{campaign}",
    "audit.what.resend": "asked to resend the parts of campaign #{campaign} uSendit never got",
    "audit.what.approve": "approved campaign #{campaign}",
    "audit.what.reject": "rejected campaign #{campaign}",
    "audit.what.buy": "bought pack {pack} ({amount})",
    "audit.what.buy_promo": "bought pack {pack} with a promotional code ({amount})",
    "audit.what.signup": "created the uSendit account {username}",
    "audit.what.signup_confirm": "confirmed the uSendit account {username}",
    "audit.what.login": "linked the uSendit account {username}",
    "audit.what.logout": "unlinked the uSendit account {username}",
    "audit.what.role": "the {role} role is now held by {name}",
    "audit.what.role_none": "nobody holds the {role} role now",
    "audit.what.setting": "set {setting} to {value}",
    "audit.what.optout_add": Plural(
        one="added {count} number to the opt-out list",
        other="added {count} numbers to the opt-out list",
    ),
    "audit.what.optout_remove": Plural(
        one="took {count} number off the opt-out list",
        other="took {count} numbers off the opt-out list",
    ),
    "audit.what.template_save": "saved the template {name}",
    "audit.what.template_delete": "deleted the template {name}",
    "audit.what.list_save": Plural(
        one="saved the list {name} ({count} number)",
        other="saved the list {name} ({count} numbers)",
    ),
    "audit.what.list_delete": "deleted the list {name}",
    "audit.setting.lang": "the language",
    "audit.setting.timezone": "the time zone",
    "audit.setting.alert": "the low-credit alert",
    "audit.column.id": "entry",
    "audit.column.at": "when (UTC)",
    "audit.column.who": "who",
    "audit.column.name": "name",
    "audit.column.chat": "chat",
    "audit.column.platform": "platform",
    "audit.column.account": "account",
    "audit.column.action": "action",
    "audit.column.what": "details",
    "audit.column.said": "description",
    "personal.columns": "Columns you can use in the text: {columns}",
    "personal.title": "This text does not fit the list:",
    "personal.unknown": Plural(
        one="No column is called {fields}. The file's columns: {columns}.",
        other="No columns are called {fields}. The file's columns: {columns}.",
    ),
    "personal.no_columns": Plural(
        one="Unknown field {fields}: these recipients have no columns. Fields come from a "
        "CSV file with a header (a saved list keeps only numbers).",
        other="Unknown fields {fields}: these recipients have no columns. Fields come from a "
        "CSV file with a header (a saved list keeps only numbers).",
    ),
    "personal.empty": Plural(
        one="Empty value on line {lines}.",
        other="Empty values on lines {lines}.",
    ),
    "personal.unsendable": Plural(
        one="Characters no SMS can carry on line {lines}.",
        other="Characters no SMS can carry on lines {lines}.",
    ),
    "personal.too_long": Plural(
        one="Too long a text (more than {max} segments) on line {lines}.",
        other="Too long texts (more than {max} segments) on lines {lines}.",
    ),
    "personal.line_segments": "{line} ({segments} segments)",
    "personal.more": Plural(one=" and {count} more", other=" and {count} more"),
    "personal.longest": Plural(
        by="segments",
        one="Longest message (line {line}, {segments} segment):",
        other="Longest message (line {line}, {segments} segments):",
    ),
    "personal.samples": "Sample:",
    "personal.mixed": "UCS-2 for {count} of {total} messages, GSM-7 for the rest",
    "personal.facts": "Recipients: {recipients}\nEncoding: {encoding}\n"
    "Segments per message: {low} to {high}\nCredits needed: {needed} (balance: {balance})\n"
    "Sender: {sender}\nWhen: {when}",
    "personal.plain_offer": "Without accents every message would be GSM-7: {credits} credits "
    "instead of {needed}.",
}
