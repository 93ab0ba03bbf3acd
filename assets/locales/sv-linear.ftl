# sv-linear: skärmläsarläget (linjärt). Varje rad börjar med en etikett
# ("Fel:", "Sida: Enheter", "Inloggning 3 av 30: ..."); menyval börjar med
# sin tangent ("1. Lösenord").

## Hur läget valdes (alltid första raden)
lin-mode-flag = Skärmläsarläge: på, på grund av --screen-reader.
lin-mode-env = Skärmläsarläge: på, eftersom MYACCOUNT_SCREEN_READER är satt.
lin-mode-config = Skärmläsarläge: på, eftersom konfigurationsfilen sätter screen-reader.
lin-mode-accessible = Skärmläsarläge: på, eftersom ACCESSIBLE är satt.
lin-mode-dumb = Skärmläsarläge: på, valt automatiskt eftersom TERM är dumb, där en helskärm inte fungerar.
lin-intro = Mitt konto: ditt arbets- eller skolkonto, en rad i taget. Svara på en meny med siffran eller bokstaven för ditt val och Enter. Ctrl-D avbryter en fråga; Ctrl-C avslutar.
lin-sandbox = Sandlåda: { $text }
lin-demo = Demokonto: { $user }, lösenord { $password }
lin-bye = Hej då: Mitt konto har stängts.

## Radetiketter
lin-error = Fel: { $text }
lin-notice = Meddelande: { $text }
lin-done = Klart: { $text }
lin-portal-note = Webbportal: { $text } { $url }
lin-waiting = Väntar: { $text }
lin-working = Arbetar...
lin-page = Sida: { $name }

## Menyer och frågor
lin-menu = { $title }: { $count ->
    [one] 1 val.
   *[other] { $count } val.
}
lin-item = { $key }. { $text }
lin-choice = Val ({ $keys })
lin-range = { $first } till { $last }
lin-not-a-choice = Fel: det är inte ett av valen. Skriv ett av: { $keys }.
lin-confirm = Bekräfta: { $question } Skriv ja eller nej, Enter betyder nej
lin-answer-yes = ja
lin-answer-y = j
lin-cancelled = Avbrutet.
lin-unchanged = Inget ändrades.
lin-quit = Avsluta
lin-sign-out = Logga ut
lin-back = Tillbaka till menyn
lin-title-menu = Meny
lin-title-actions = Åtgärder
lin-title-which-method = Vilken metod

## Inloggning
lin-signin-password = Logga in med kontonamn och lösenord
lin-signin-device = Logga in med en kod på en annan enhet (för multifaktorautentisering)
lin-signin-forgot = Glömt ditt lösenord?
lin-forgot = Glömt ditt lösenord: { $text }
lin-next-step-forgot = Nästa steg: Har du glömt lösenordet eller blivit utelåst? Välj "Glömt ditt lösenord?" i inloggningsmenyn.
lin-next-step-personal = Nästa steg: { next-step-personal }
lin-next-step-device-code = Nästa steg: Välj "Logga in med en kod på en annan enhet" i inloggningsmenyn för att logga in med multifaktorautentisering.
lin-prompt-username = Kontonamn (e-post eller användarnamn)
lin-prompt-username-keep = Kontonamn (Enter behåller { $user })
lin-prompt-password = Lösenord, visas inte när du skriver
lin-signed-in = Inloggad: { $name } ({ $account }), { $org }.
lin-device-code-open = Enhetskod: Öppna { $url } på en annan enhet och ange koden { $code }.
lin-device-code-spelled = Koden, tecken för tecken: { $code }
lin-device-code-expires = Giltighet: koden gäller i { $minutes ->
    [one] 1 minut.
   *[other] { $minutes } minuter.
}
lin-device-code-wait = Väntar: Slutför inloggningen på den andra enheten. Tryck Enter för att avbryta.
lin-device-code-cancelled = Inloggningen med kod avbröts.

## Lösenord
lin-pw-intro = Lösenord: Byt ditt lösenord här. Du loggas ut efteråt.
lin-expired-intro = Lösenord: Välj ett nytt lösenord för { $user } och logga sedan in med det.
lin-pw-rules = Regler: ditt nya lösenord behöver { $min } till { $max } tecken; minst { $classes } av dessa 4 sorter: versaler, gemener, siffror, symboler; skilja sig från ditt nuvarande lösenord; inget mellanslag först eller sist; och skrivas likadant två gånger.
lin-prompt-current = Nuvarande lösenord, visas inte när du skriver
lin-prompt-new = Nytt lösenord, visas inte när du skriver
lin-prompt-confirm = Nytt lösenord igen, visas inte när du skriver
lin-strength = Det nya lösenordets styrka: { $text }
lin-problems = Problem: { $count ->
    [one] 1 problem, inget skickades.
   *[other] { $count } problem, inget skickades.
}
lin-problem = Problem { $n } av { $total }: { $text }
lin-try-again = Försöka igen?

## Säkerhetsinformation
lin-methods = Metoder: { $count ->
    [0] inga inloggningsmetoder är registrerade.
    [one] 1 inloggningsmetod.
   *[other] { $count } inloggningsmetoder.
}
lin-method = Metod { $n } av { $total }: { $text }
lin-is-default = Standardmetod
lin-phone-detail = { $kind }, nummer som slutar på { $last }
lin-email-detail = adress som börjar med { $first }, på { $domain }
lin-app-detail = { $device }, version { $version }
lin-remove-method = Ta bort en inloggningsmetod
lin-choose-default = Gör en metod till din standardmetod för inloggning
lin-nothing-to-default = Ingen av dina andra metoder kan göras till standardmetod här.
lin-nothing-to-remove = Det finns ingen metod som kan tas bort här. Ditt lösenord kan inte tas bort.

## Enheter, organisationer, inloggningar
lin-devices = Enheter: { $count ->
    [0] inga enheter är registrerade på ditt konto.
    [one] 1 enhet.
   *[other] { $count } enheter.
}
lin-device = Enhet { $n } av { $total }: { $text }
lin-join-type = Anslutningstyp
lin-registered = Registrerad
lin-orgs = Organisationer: { $count ->
    [0] inga.
    [one] 1 organisation.
   *[other] { $count } organisationer.
}
lin-org = Organisation { $n } av { $total }: { $text }
lin-sign-ins = Inloggningar: { $count ->
    [0] inga inloggningar har registrerats nyligen.
    [one] 1 inloggning nyligen.
   *[other] { $count } inloggningar nyligen, den senaste först.
}
lin-sign-in = Inloggning { $n } av { $total }: { $text }

## Sekretess
lin-privacy-sees = Synligt för { $org }: { $count } sorters uppgifter om dig.
lin-privacy-item = Uppgift { $n } av { $total }: { $text }
lin-discovery = Innehållsidentifiering: { $text }
lin-discovery-turn-off = Stäng av innehållsidentifiering
lin-discovery-turn-on = Slå på innehållsidentifiering

## sshkeys
lin-ssh-keys = SSH-nycklar: { $count ->
    [0] ditt konto har inga SSH-nycklar.
    [one] 1 nyckel.
   *[other] { $count } nycklar.
}
lin-ssh-key = Nyckel { $n } av { $total }: { $text }
lin-ssh-add = Lägg till en SSH-nyckel
lin-ssh-remove = Ta bort en SSH-nyckel
lin-title-which-key = Vilken nyckel
lin-ssh-paste = Lägg till en nyckel: klistra in din publika nyckel på en rad (till exempel innehållet i ~/.ssh/id_ed25519.pub) och tryck Enter. En tom rad avbryter.
lin-ssh-prompt = Publik nyckel
lin-ssh-checked = Nyckel: { $key }.


## bounded
lin-slow = Inget svar än. Tryck Ctrl-D för att sluta vänta.
lin-cancel-hint = Tryck Ctrl-D för att sluta vänta.
lin-cancelled-unknown-action = Du slutade vänta, och ändringen kan redan ha nått tjänsten, så det är okänt om den gjordes. Öppna sidan igen för att se efter.
## breach
lin-sign-out-everywhere = Logga ut överallt: alla enheter och appar, även den här

## graphtruth
lin-signins-own = Dina egna inloggningar: dina senaste inloggningar ser du i en webbläsare på { $url }
lin-demo-others = Andra demokonton, samma lösenord: { $ordinary }, en vanlig användare utan administratörsroll (se Inloggningar); { $blocked }, vars inloggning blockeras av en princip för villkorsstyrd åtkomst.

## dirpolicy
lin-pw-rules-list = Regler: ditt nya lösenord behöver { $list }.
lin-pw-source = Lösenordsregler: { $text }
lin-pw-note = Obs: { $text }
