# en-linear: the screen-reader (linear) mode. Every line begins with a label
# ("Error:", "Page: Devices", "Sign-in 3 of 30: ..."); menu items begin with
# their key ("1. Password"). ASCII only where a full-screen text has symbols.

## How the mode was chosen (always the first line)
lin-mode-flag = Screen reader mode: on, because of --screen-reader.
lin-mode-env = Screen reader mode: on, because MYACCOUNT_SCREEN_READER is set.
lin-mode-config = Screen reader mode: on, because the config file sets screen-reader.
lin-mode-accessible = Screen reader mode: on, because ACCESSIBLE is set.
lin-mode-dumb = Screen reader mode: on, chosen automatically because TERM is dumb, where a full screen cannot work.
lin-intro = My Account: your work or school account, one line at a time. Answer a menu with the number or letter of your choice and Enter. Ctrl-D cancels a question; Ctrl-C quits.
lin-sandbox = Sandbox: { $text }
lin-demo = Demo account: { $user }, password { $password }
lin-bye = Goodbye: My Account has closed.

## Labels of lines
lin-error = Error: { $text }
lin-notice = Notice: { $text }
lin-done = Done: { $text }
lin-portal-note = Web portal: { $text } { $url }
lin-waiting = Waiting: { $text }
lin-working = Working...
lin-page = Page: { $name }

## Menus and questions
lin-menu = { $title }: { $count ->
    [one] 1 choice.
   *[other] { $count } choices.
}
lin-item = { $key }. { $text }
lin-choice = Choice ({ $keys })
lin-range = { $first } to { $last }
lin-not-a-choice = Error: that is not one of the choices. Type one of: { $keys }.
lin-confirm = Confirm: { $question } Type yes or no, Enter means no
lin-answer-yes = yes
lin-answer-y = y
lin-cancelled = Cancelled.
lin-unchanged = Nothing was changed.
lin-quit = Quit
lin-sign-out = Sign out
lin-back = Back to the menu
lin-title-menu = Menu
lin-title-actions = Actions
lin-title-which-method = Which method

## Sign-in
lin-signin-password = Sign in with your account name and password
lin-signin-device = Sign in with a code on another device (for multi-factor authentication)
lin-signin-forgot = Forgot your password?
lin-forgot = Forgot your password: { $text }
lin-next-step-forgot = Next step: Forgot your password or locked out? Choose "Forgot your password?" in the sign-in menu.
lin-next-step-personal = Next step: { next-step-personal }
lin-next-step-device-code = Next step: Choose "Sign in with a code on another device" in the sign-in menu to sign in with multi-factor authentication.
lin-prompt-username = Account name (email or username)
lin-prompt-username-keep = Account name (Enter keeps { $user })
lin-prompt-password = Password, not shown as you type
lin-signed-in = Signed in: { $name } ({ $account }), { $org }.
lin-device-code-open = Device code: On another device, open { $url } and enter the code { $code }.
lin-device-code-spelled = Code, letter by letter: { $code }
lin-device-code-expires = Expires: the code is valid for { $minutes ->
    [one] 1 minute.
   *[other] { $minutes } minutes.
}
lin-device-code-wait = Waiting: Finish signing in on the other device. Press Enter to cancel.
lin-device-code-cancelled = Sign-in with a code was cancelled.

## Password
lin-pw-intro = Password: Change your password here. You will be signed out afterwards.
lin-expired-intro = Password: Choose a new password for { $user }, then sign in with it.
lin-pw-rules = Rules: your new password needs { $min } to { $max } characters; at least { $classes } of these 4 kinds: upper case, lower case, digits, symbols; to differ from your current password; no space at the start or end; and to be typed the same way twice.
lin-prompt-current = Current password, not shown as you type
lin-prompt-new = New password, not shown as you type
lin-prompt-confirm = New password again, not shown as you type
lin-strength = Strength of the new password: { $text }
lin-problems = Problems: { $count ->
    [one] 1 problem, nothing was sent.
   *[other] { $count } problems, nothing was sent.
}
lin-problem = Problem { $n } of { $total }: { $text }
lin-try-again = Try again?

## Security info
lin-methods = Methods: { $count ->
    [0] no sign-in methods are registered.
    [one] 1 sign-in method.
   *[other] { $count } sign-in methods.
}
lin-method = Method { $n } of { $total }: { $text }
lin-is-default = Default method
lin-phone-detail = { $kind }, number ending in { $last }
lin-email-detail = address beginning with { $first }, at { $domain }
lin-app-detail = { $device }, version { $version }
lin-remove-method = Remove a sign-in method
lin-choose-default = Make a method your default sign-in method
lin-nothing-to-default = None of your other methods can be made the default here.
lin-nothing-to-remove = There is no method that can be removed here. Your password can't be removed.

## Devices, organizations, sign-ins
lin-devices = Devices: { $count ->
    [0] no devices are registered to your account.
    [one] 1 device.
   *[other] { $count } devices.
}
lin-device = Device { $n } of { $total }: { $text }
lin-join-type = Join type
lin-registered = Registered
lin-orgs = Organizations: { $count ->
    [0] none.
    [one] 1 organization.
   *[other] { $count } organizations.
}
lin-org = Organization { $n } of { $total }: { $text }
lin-sign-ins = Sign-ins: { $count ->
    [0] no recent sign-ins are recorded.
    [one] 1 recent sign-in.
   *[other] { $count } recent sign-ins, newest first.
}
lin-sign-in = Sign-in { $n } of { $total }: { $text }

## Privacy
lin-privacy-sees = Visible to { $org }: { $count } kinds of information about you.
lin-privacy-item = Item { $n } of { $total }: { $text }
lin-discovery = Content discovery: { $text }
lin-discovery-turn-off = Turn content discovery off
lin-discovery-turn-on = Turn content discovery on

## sshkeys
lin-ssh-keys = SSH keys: { $count ->
    [0] there are no SSH keys on your account.
    [one] 1 key.
   *[other] { $count } keys.
}
lin-ssh-key = Key { $n } of { $total }: { $text }
lin-ssh-add = Add an SSH key
lin-ssh-remove = Remove an SSH key
lin-title-which-key = Which key
lin-ssh-paste = Add a key: paste your public key on one line (such as the contents of ~/.ssh/id_ed25519.pub) and press Enter. An empty line cancels.
lin-ssh-prompt = Public key
lin-ssh-checked = Key: { $key }.


## bounded
lin-slow = No answer yet. Press Ctrl-D to stop waiting.
lin-cancel-hint = Press Ctrl-D to stop waiting.
lin-cancelled-unknown-action = You stopped waiting, and the change may already have reached the service, so it is unknown whether it was made. Open the page again to see.
## breach
lin-sign-out-everywhere = Sign out everywhere: all devices and apps, this one too

## graphtruth
lin-signins-own = Your own sign-ins: you can see your recent sign-ins in a web browser at { $url }
lin-demo-others = Other demo accounts, same password: { $ordinary }, an ordinary user without an administrator role (see Sign-ins); { $blocked }, whose sign-in a Conditional Access policy blocks.

## dirpolicy
lin-pw-rules-list = Rules: your new password needs { $list }.
lin-pw-source = Password rules: { $text }
lin-pw-note = Note: { $text }
