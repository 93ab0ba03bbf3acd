# myaccount: svenska
app-title = Mitt konto
sandbox-tag = Sandlåda
too-small = Gör fönstret större: minst { $w }×{ $h } tecken behövs.
header-signed-in-as = Inloggad som { $name }
yes = Ja
no = Nej
unknown = Okänt
loading = Läser in…
load-failed = Sidan kunde inte läsas in.
load-retry = Tryck r för att försöka igen.

## Inloggning
signin-title = Logga in
signin-intro = Logga in med ditt arbets- eller skolkonto.
signin-username = E-post, telefon eller användarnamn
signin-password = Lösenord
signin-pending = Loggar in…
signin-enter-username = Ange ditt kontonamn först.
signin-enter-password = Ange ditt lösenord.
signin-sandbox = Det här är en sandlåda: inget riktigt konto påverkas.
signin-demo-account = Demokonto:
signin-demo-password = Lösenord:
notice-password-changed = Ditt lösenord har ändrats. Logga in med ditt nya lösenord.
notice-signed-out = Du har loggat ut.
notice-session-expired = Din session har upphört. Logga in igen.

notice-idle-signed-out = Du loggades ut eftersom ingen använde skärmen på en stund.
idle-title = Är du kvar?
idle-warning = Du loggas ut om { $seconds } sekunder. Tryck på valfri tangent för att fortsätta.

## Navigering
nav-title = Mitt konto
page-password = Lösenord
page-security-info = Säkerhetsinformation
page-devices = Enheter
page-organizations = Organisationer
page-sign-ins = Inloggningar
page-privacy = Sekretess

## Tangenttips
hint-next-field = nästa fält
hint-next = nästa
hint-sign-in = logga in
hint-help = hjälp
hint-quit = avsluta
hint-choose-page = välj sida
hint-open = öppna
hint-sign-out = logga ut
hint-submit = skicka
hint-show-hide = visa/dölj
hint-back = meny
hint-move = flytta
hint-details = detaljer
hint-reload = läs om
hint-close = stäng

## Hjälp
help-title = Tangenter
help-fields = Flytta mellan fält
help-enter-signin = Nästa fält; loggar in från lösenordsfältet
help-clear-field = Töm fältet
help-help = Visa eller dölj hjälpen
help-quit = Avsluta
help-quit-q = Avsluta (utanför textfält)
help-nav = Välj en sida i menyn
help-into-page = Gå in på sidan
help-back = Tillbaka till menyn (eller stäng detaljer)
help-enter-form = Nästa fält; skickar från sista fältet
help-show-hide = Visa eller dölj inskrivna lösenord
help-scroll = Bläddra i listor
help-details = Detaljer om den valda raden
help-reload = Läs in sidan igen
help-sign-out = Logga ut
help-close = Tryck Esc för att stänga.

## Lösenordssidan
pw-intro = Byt ditt lösenord. Du loggas ut efteråt.
pw-current = Nuvarande lösenord
pw-new = Nytt lösenord
pw-confirm = Bekräfta nytt lösenord
pw-submit = Byt lösenord
pw-changing = Byter lösenord…
pw-shown = Lösenorden syns (Ctrl-R döljer)
pw-hidden = Ctrl-R visar lösenorden
pw-strength = Styrka:
pw-rules = Ditt nya lösenord behöver:
rule-length = { $min } till { $max } tecken
rule-classes = { $n } av: versaler, gemener, siffror, symboler
rule-different = skilja sig från ditt nuvarande lösenord
rule-match = stämma med bekräftelsen
strength-empty = inte angivet
strength-weak = svagt
strength-fair = godtagbart
strength-good = bra
strength-strong = starkt
issue-current-empty = Ange ditt nuvarande lösenord.
issue-too-short = Det nya lösenordet är för kort: använd minst { $min } tecken.
issue-too-long = Det nya lösenordet är för långt: använd högst { $max } tecken.
issue-classes = Använd minst { $n } sorters tecken: versaler, gemener, siffror, symboler.
issue-same = Det nya lösenordet måste skilja sig från ditt nuvarande.
issue-mismatch = Lösenorden stämmer inte överens. Skriv det nya lösenordet igen i båda fälten.
issue-whitespace = Det nya lösenordet får inte börja eller sluta med mellanslag.

## Fel
err-invalid-credentials = Ditt konto eller lösenord är fel. Kontrollera båda och försök igen.
err-locked = Ditt konto är låst efter för många misslyckade inloggningar. Tjänsten säger inte hur länge: vänta en stund och försök igen.
err-locked-for = Ditt konto är tillfälligt låst efter för många misslyckade inloggningar. Försök igen om { $seconds } sekunder.
err-disabled = Ditt konto har inaktiverats. Kontakta din administratör.
err-password-expired = Ditt lösenord har gått ut och måste bytas innan du kan logga in.
err-mfa-required = Din organisation kräver multifaktorautentisering för den här inloggningen, vilket inte går med bara lösenord.
err-mfa-register = Din organisation kräver att du konfigurerar multifaktorautentisering innan du loggar in. Det går inte med bara lösenord; vid inloggning i en webbläsare får du hjälp att konfigurera en metod.
err-consent-required = Appen har inte godkänts för din organisation än. Be din administratör att ge medgivande.
err-personal-account = Det här ser ut som ett personligt Microsoft-konto. Verktyget fungerar bara med arbets- eller skolkonton.
err-wrong-current = Ditt nuvarande lösenord är fel. Skriv det igen.
err-too-weak = Det nya lösenordet uppfyller inte organisationens lösenordsregler.
err-service-said = Tjänsten svarade: "{ $text }"
err-banned = Det nya lösenordet innehåller ett ord, en fras eller ett mönster som gör det lätt att gissa. Välj ett annat lösenord.
err-recently-used = Du har använt det här lösenordet nyligen, och nyligen använda lösenord går inte att använda igen. Välj ett som du inte har använt på sistone.
err-contains-name = Det nya lösenordet får inte innehålla ditt namn eller kontonamn.
err-permission = Din organisation har inte gett appen behörigheten "{ $permission }", så sidan kan inte visas.
err-not-licensed = Organisationens abonnemang omfattar inte den här informationen (Microsoft Entra ID P1 eller P2 krävs).
err-session-expired = Din session har upphört. Logga in igen.
err-throttled = Tjänsten är upptagen. Vänta en stund och försök igen.
err-throttled-for = Tjänsten är upptagen. Försök igen om { $seconds } sekunder.
err-timeout = Tjänsten svarade inte i tid. Kontrollera anslutningen och försök igen.
err-network = Det gick inte att nå tjänsten: { $detail }
err-tls = Den säkra anslutningen misslyckades: { $detail }
err-outcome-unknown = Anslutningen bröts efter att begäran skickats, så det är okänt om lösenordet byttes. Försök logga in med det nya lösenordet för att ta reda på det.
err-protocol = Tjänsten skickade ett svar som appen inte förstår: { $detail }
err-service = Tjänsten avvisade begäran ({ $code }, HTTP { $status }): { $message }
err-trace-id = Spårnings-ID: { $id }.
err-correlation-id = Korrelations-ID: { $id }.
err-not-supported = Det här stöds inte för ditt konto.
err-device-code-expired = Koden gick ut innan inloggningen var klar. Be om en ny kod.
err-device-code-declined = Inloggningen nekades på den andra enheten.
err-cannot-remove-method = Metoden kan inte tas bort: den är din sista inloggningsmetod eller din standardmetod. Lägg till eller välj en annan först.
err-password-not-removable = Ditt lösenord går inte att ta bort: du loggar in med det. Öppna sidan Lösenord för att byta det.
err-default-not-removable = Det här är din standardmetod för inloggning och går därför inte att ta bort. Gör en annan metod till standard först.
err-last-not-removable = Det här är din enda inloggningsmetod utöver lösenordet och går därför inte att ta bort. Lägg först till en annan metod i webbportalen: { $url }
err-cannot-be-default = Den här metoden kan inte vara din standardmetod för inloggning. Standard kan vara Authenticator-appen, en kod från en autentiseringsapp eller token, eller en telefon (sms eller samtal).
err-method-not-removable-here = Det här verktyget kan inte ta bort den här sortens inloggningsmetod. Du kan ta bort den i webbportalen: { $url }
err-too-young = Ditt lösenord byttes för nyligen för att kunna bytas igen. Försök senare.
err-change-not-allowed = Din katalog låter dig inte byta ditt eget lösenord. Kontakta din administratör.
err-must-supply-old = Din katalog kräver ditt nuvarande lösenord för att byta det.
err-must-change = Ditt lösenord har återställts och måste bytas innan du kan logga in.

## Säkerhetsinformation
security-default = Standardmetod för inloggning: { $method }
security-default-unknown = Standardmetod för inloggning: rapporteras inte av din organisation.
security-is-default = Standard
col-method = Metod
col-detail = Detalj
col-default = Standard
method-password = Lösenord
method-password-changed = Senast ändrat { $date }
method-phone = Telefon
method-email = E-post
method-authenticator = Autentiseringsapp
method-fido2 = Säkerhetsnyckel
method-hello = Windows Hello
method-oath = App för engångskoder
method-tap = Tillfälligt åtkomstpass
method-platform = Plattformsautentisering
method-other = Annan metod
phone-mobile = mobil
phone-alternate = alternativ mobil
phone-office = kontor

## Enheter
devices-none = Inga enheter är registrerade på ditt konto.
col-device = Enhet
col-os = OS
col-last-activity = Senast aktiv
col-managed = Hanterad
col-compliant = Kompatibel
device-detail = Anslutning: { $trust } · Registrerad: { $registered }
trust-joined = Microsoft Entra-ansluten
trust-hybrid = Hybridansluten
trust-registered = Registrerad (personlig enhet)

## Organisationer
col-organization = Organisation
col-relation = Relation
col-domain = Domän
org-home = Hem
org-guest = Gäst
org-tenant-id = Klient-ID
org-home-explain = Ditt konto tillhör den här organisationen.
org-guest-explain = Du är gäst i den här organisationen.

## Inloggningar
sign-ins-none = Inga inloggningar finns registrerade.
col-time = Tid
col-app = App
col-ip = IP-adress
col-location = Plats
col-result = Resultat
signin-result-success = Lyckad
signin-result-failure = Misslyckad
detail-title = Inloggning { $n } av { $total }
detail-failure = Misslyckad ({ $code }): { $reason }
detail-client = Klient
detail-browser = Webbläsare
detail-correlation = Korrelations-ID
detail-hint = Upp/Ned: föregående/nästa · Enter eller Esc: stäng

## Sekretess
privacy-org = Organisation: { $org }
privacy-contact = Sekretesskontakt
privacy-statement = Sekretesspolicy
privacy-not-set = inte angiven av din organisation
privacy-sees = Det här kan { $org } se om dig:
privacy-field-displayName = Namn
privacy-field-userPrincipalName = Inloggningsnamn
privacy-field-mail = E-post
privacy-field-jobTitle = Befattning
privacy-field-department = Avdelning
privacy-field-officeLocation = Kontor
privacy-field-mobilePhone = Mobiltelefon
privacy-field-userType = Kontotyp
privacy-field-preferredLanguage = Språk
privacy-field-companyName = Företag
privacy-sees-signins = Din inloggningsaktivitet: tider, appar, IP-adresser och platser
privacy-sees-devices = Enheterna du har registrerat eller anslutit
privacy-sees-methods = Din säkerhetsinformation (inloggningsmetoder)
privacy-discovery-on = Dina dokument kan föreslås för kollegor (innehållsidentifiering är på).
privacy-discovery-off = Innehållsidentifiering är av: dina dokument föreslås inte för kollegor.
privacy-discovery-unknown = Inställning för innehållsidentifiering: inte tillgänglig.

## Expired password
hint-cancel = avbryt
help-cancel-expired = Tillbaka till inloggningen
expired-title = Byt ditt lösenord
expired-for = Konto: { $user }
expired-intro = Välj ett nytt lösenord och logga sedan in med det.

## Inloggning: andra vägar
signin-other-device = Logga in på en annan enhet (telefon eller webbläsare)
forgot-link = Har du glömt lösenordet?
hint-forgot = glömt lösenord
hint-new-code = ny kod
hint-yes = ja
hint-no = nej
hint-choose = välj
hint-make-default = gör till standard
hint-remove = ta bort
hint-toggle-discovery = ändra inställning
help-cancel-device = Tillbaka till inloggningen
help-new-code = Hämta en ny kod (när den gått ut)
help-forgot = Har du glömt lösenordet?
help-actions = Standardmetod / ta bort (frågar först)
next-step-forgot = Har du glömt lösenordet eller blivit utelåst? Tryck F2 för att återställa det.
next-step-personal = För ett personligt konto, gå till https://account.microsoft.com i stället.
next-step-device-code = Välj "Logga in på en annan enhet" nedan för att logga in med MFA.
header-password-expired = Ditt lösenord har gått ut
header-password-expires = Lösenordet går ut om { $days ->
    [one] 1 dag
   *[other] { $days } dagar
}
header-password-expires-hours = Lösenordet går ut om { $hours ->
    [one] 1 timme
   *[other] { $hours } timmar
}
header-password-expires-minutes = Lösenordet går ut om { $minutes ->
    [one] 1 minut
   *[other] { $minutes } minuter
}

## Enhetskod
device-title = Logga in på en annan enhet
device-requesting = Begär en kod…
device-step-1 = 1. Öppna på din telefon eller dator:
device-step-2 = 2. Ange den här koden:
device-step-3 = 3. Logga in där med ditt arbets- eller skolkonto.
device-waiting = Väntar på att du blir klar där. Koden går ut om { $min } min { $sec } s.
device-new-code = Tryck Enter för en ny kod eller Esc för att gå tillbaka.
device-qr = Eller skanna QR-koden med telefonens kamera.

## Glömt lösenord
forgot-title = Har du glömt lösenordet?
forgot-explain = För att byta lösenord här behövs ditt nuvarande lösenord. Om du har glömt det eller är utelåst, återställ det med självbetjäning:
forgot-qr = Eller skanna QR-koden med telefonen.
forgot-no-qr = Öppna den på telefonen eller en annan dator.
forgot-no-url = Din organisation har inte angett någon adress för återställning av lösenord för det här verktyget. Kontakta supporten eller din administratör.
forgot-close = Tryck Esc för att stänga.

## Bekräftelser och resultat
confirm-title = Bekräfta
confirm-remove = Ta bort { $method } från dina inloggningsmetoder?
done-remove = { $method } har tagits bort.
confirm-default = Gör { $method } till din standardmetod för inloggning?
done-default = { $method } är nu din standardmetod för inloggning.
confirm-discovery-off = Sluta föreslå dina dokument för kollegor (stäng av innehållsidentifiering)?
done-discovery-off = Innehållsidentifiering är nu av.
confirm-discovery-on = Låt dina dokument föreslås för kollegor (slå på innehållsidentifiering)?
done-discovery-on = Innehållsidentifiering är nu på.
default-push = Avisering i Microsoft Authenticator
default-oath = Kod från autentiseringsapp eller maskinvarutoken
default-sms = Telefon, sms med kod
default-voiceMobile = Telefon, samtal
default-voiceAlternateMobile = Alternativ telefon, samtal
default-voiceOffice = Kontorstelefon, samtal
security-portal-note = Lägg till en metod på
devices-portal-note = Inaktivera eller ta bort en enhet på
orgs-portal-note = Lämna en organisation på
sign-ins-note = Känner du inte igen en inloggning? Byt lösenord på sidan Lösenord.

retrying-in = Tjänsten är upptagen. Försöker igen om { $seconds } s…
err-outcome-unknown-action = Anslutningen bröts efter att ändringen skickats, så det är okänt om den gjordes. Tryck r för att läsa in sidan igen och se efter.
org-group = Medlem
org-group-explain = Du är medlem i den här gruppen.
page-not-kept = Katalogen för ditt konto sparar inte den här informationen, så det finns inget att visa här.
header-grace-logins = Ditt lösenord har gått ut: { $n } inloggningar kvar. Byt det nu.
expired-not-here = Ditt lösenord kan inte bytas här; bara en administratör kan byta det. Kontakta din administratör.

## sshkeys
page-ssh-keys = SSH-nycklar
ssh-intro = Nycklar som SSH-hoppservrar godtar för ditt konto, sparade i din katalogpost ({ $attribute }).
ssh-none = Ditt konto har inga SSH-nycklar. Tryck a för att lägga till en.
ssh-col-type = Typ
ssh-col-bits = Bitar
ssh-col-comment = Kommentar
ssh-col-fingerprint = Fingeravtryck
ssh-bits = { $bits } bitar
ssh-fingerprint = Fingeravtryck: { $fingerprint }
ssh-no-comment = (ingen kommentar)
ssh-other-values = { $count ->
    [one] 1 annat värde i { $attribute } är ingen publik SSH-nyckel; det visas inte och ändras aldrig här.
   *[other] { $count } andra värden i { $attribute } är inga publika SSH-nycklar; de visas inte och ändras aldrig här.
}
ssh-accepted = Godtas: { $types }.
ssh-type-ed25519 = Ed25519
ssh-type-ecdsa = ECDSA
ssh-type-rsa = RSA på minst { $bits } bitar
ssh-type-ed25519-sk = Ed25519-säkerhetsnyckel (ed25519-sk)
ssh-type-ecdsa-sk = ECDSA-säkerhetsnyckel (ecdsa-sk)
ssh-add-label = Klistra in din publika nyckel (en rad, till exempel innehållet i ~/.ssh/id_ed25519.pub):
ssh-add-help = Klistra in nyckeln och tryck Enter. Esc avbryter.
ssh-add-ok = Nyckel: { $key }. Tryck Enter för att lägga till den.
ssh-adding = Lägger till nyckeln…
issue-ssh-empty = Klistra in en publik nyckel först.
issue-ssh-private = Det där är en privat nyckel: den sparades inte. Dela den aldrig. Klistra in den publika nyckeln i stället, från filen som slutar på .pub.
issue-ssh-several = Klistra in en nyckel i taget (det inklistrade hade flera rader).
issue-ssh-not-a-key = Det där är ingen publik SSH-nyckel. En publik nyckel är en rad som "ssh-ed25519 AAAA… namn@dator".
issue-ssh-type = { $type }-nycklar godtas inte här.
issue-ssh-rsa-short = Den här RSA-nyckeln har { $bits } bitar; minst { $min } krävs. Skapa en ny nyckel, till exempel med: ssh-keygen -t ed25519
issue-ssh-duplicate = Den här nyckeln finns redan på ditt konto.
err-ssh-not-allowed = Katalogen låter dig inte ändra dina egna SSH-nycklar. Be katalogadministratören att lägga till eller ta bort nyckeln åt dig, eller att ge dig rätt att ändra dina nycklar.
err-ssh-attribute = Katalogen kan inte spara SSH-nycklar i attributet { $attribute } för ditt konto: schemat saknar det attributet, eller så tillåter inte objektklasserna i din post det. Kontakta katalogadministratören (inställningen heter --ssh-key-attribute).
acting-add-ssh = Lägger till SSH-nyckeln { $key }
done-add-ssh = SSH-nyckeln har lagts till: { $key }.
confirm-remove-ssh = Ta bort SSH-nyckeln { $key }? Hoppservrarna godtar den inte längre.
done-remove-ssh = SSH-nyckeln har tagits bort: { $key }.
hint-add = lägg till
hint-clear = töm
help-ssh-add = Lägg till en SSH-nyckel (sidan SSH-nycklar)
help-ssh-submit = Lägg till den inklistrade nyckeln
help-ssh-cancel = Stäng nyckelfältet utan att lägga till
help-ssh-remove = Ta bort den markerade nyckeln (frågar först)
help-ssh-confirm = Svara, eller flytta mellan Ja och Nej

## bounded
err-response-too-large = Tjänsten skickade ett svar som är större än något riktigt svar kan vara (över { $size }), så det kastades oläst och begärdes inte igen. Försök igen senare; om det fortsätter, kontakta supporten: något mellan dig och tjänsten kan vara trasigt.
err-directory-too-many = Katalogen skickade fler poster än något riktigt svar kan ha (över { $n }), så svaret kastades och begärdes inte igen. Kontakta supporten: katalogen eller något däremellan kan vara trasigt.
err-cancelled = Avbrutet. Inget ändrades.
retrying-in-attempt = Tjänsten är upptagen. Försöker igen om { $seconds } s (försök { $attempt } av { $max })…
err-cancelled-unknown = Du slutade vänta, och begäran kan redan ha nått tjänsten, så det är okänt om lösenordet byttes. Försök logga in med det nya lösenordet för att ta reda på det.
err-cancelled-unknown-action = Du slutade vänta, och ändringen kan redan ha nått tjänsten, så det är okänt om den gjordes. Tryck r för att läsa in sidan igen och se efter.

## kerberos
err-krb-policy = Domänen godtog inte det nya lösenordet.
err-krb-policy-rules = Dess lösenordsregler är:
err-krb-policy-length = minst { $n } tecken;
err-krb-policy-complex = tecken från minst tre av: versaler, gemener, siffror, symboler, och inte ditt kontonamn;
err-krb-policy-history = { $n ->
    [one] inte ditt förra lösenord;
   *[other] inte något av dina { $n } senaste lösenord;
}
err-krb-policy-age = lösenordet kan bara bytas en gång { $days ->
    [one] per dag
   *[other] per { $days } dagar
}, så om du bytte det nyligen får du försöka igen senare.
err-krb-malformed = Lösenordsservern kunde inte läsa begäran (Kerberos-resultat { $code }). Försök igen; kontakta din administratör om det fortsätter.
err-krb-hard = Lösenordsservern kunde inte byta lösenordet (Kerberos-resultat { $code }). Inget har ändrats; kontakta din administratör.
err-krb-auth = Lösenordsservern godtog inte inloggningen för lösenordsbytet (Kerberos-resultat { $code }). Kontrollera det nuvarande lösenordet och försök igen.
err-krb-soft = Lösenordsservern godtog inte det nya lösenordet (Kerberos-resultat { $code }). Välj ett annat.
err-krb-access = Du får inte byta det här lösenordet (Kerberos-resultat { $code }). Kontakta din administratör.
err-krb-version = Lösenordsservern talar inte den här versionen av protokollet för lösenordsbyte (Kerberos-resultat { $code }). Kontakta din administratör.
err-krb-initial = Lösenordsservern vill ha en ny inloggning för bytet (Kerberos-resultat { $code }). Försök igen.
err-krb-other = Lösenordsservern nekade bytet (Kerberos-resultat { $code }).
err-krb-revoked = Kerberos-servern nekar det här kontot: det är antingen låst efter för många misslyckade inloggningar eller inaktiverat, och servern säger inte vilket. Vänta en stund och försök igen, eller kontakta din administratör.

## breach
err-breached = { $count ->
    [one] Det här lösenordet har förekommit en gång i kända dataintrång, så angripare provar det tidigt. Välj ett annat.
   *[other] Det här lösenordet har förekommit { $shown } gånger i kända dataintrång, så angripare provar det tidigt. Välj ett annat.
}
breach-unavailable = Kontrollen mot kända läckta lösenord kunde inte köras ({ $reason }). Ändringen görs ändå, utan den.
breach-not-checked = Kontrollen mot kända läckta lösenord kunde inte köras, så det nya lösenordet kontrollerades inte.
breach-why-timeout = inget svar inom { $seconds } sekunder
breach-why-status = tjänsten svarade HTTP { $status }
breach-why-bad-answer = svaret var ingen lista med lösenordshashar
breach-why-no-file = filen { $path } finns inte
breach-why-unreadable = { $path } kan inte läsas: { $detail }
security-sign-out-everywhere = Logga ut överallt: alla enheter, även den här
confirm-sign-out-everywhere = Logga ut överallt? Alla webbläsare, telefoner och appar som är inloggade på ditt konto, även den här, måste logga in igen.
notice-signed-out-everywhere = Du har loggat ut överallt. Alla webbläsare, telefoner och appar måste logga in igen; det kan ta några minuter innan det når alla.
err-permission-revoke = Din organisation har inte gett appen behörigheten "{ $permission }", så den kan inte logga ut dig överallt. Be din administratör att ge den, eller använd "Logga ut överallt" under Säkerhetsinformation i webbportalen: https://mysignins.microsoft.com/security-info

## graphtruth
privacy-field-givenName = Förnamn
privacy-field-surname = Efternamn
privacy-field-businessPhones = Arbetstelefon
privacy-field-usageLocation = Land eller region där kontot används
privacy-field-passwordPolicies = Lösenordsregler för ditt konto
privacy-field-accountEnabled = Kontot aktiverat
privacy-field-createdDateTime = Kontot skapades
privacy-field-lastPasswordChangeDateTime = Lösenordet ändrades senast
privacy-policy-none = standard (organisationens policy)
privacy-policy-no-expiry = lösenordet går aldrig ut
privacy-policy-weak-allowed = svagare lösenord tillåts
privacy-user-member = medlem i organisationen
privacy-user-guest = gäst
err-role-missing = Ditt konto saknar den katalogroll som krävs. Bara en administratör kan tilldela den; att försöka igen ändrar inte det.
signins-refused-title = Inloggningsloggar kan inte visas här
signins-role-missing = Microsoft låter bara administratörer läsa inloggningsloggar via sitt API (roller som Rapportläsare, Säkerhetsläsare eller Global läsare), och ditt konto har ingen av dem. Så är det för de flesta, och att försöka igen ändrar inte det.
signins-not-licensed = Microsoft visar inloggningsloggar via sitt API bara för organisationer med Microsoft Entra ID P1 eller P2, och din organisation har inte det. Att försöka igen ändrar inte det.
signins-not-consented = Din organisation har inte gett appen behörigheten "{ $permission }" som krävs för att läsa inloggningsloggar, och bara en administratör kan ge den. Att försöka igen ändrar inte det.
signins-own-activity = Dina senaste inloggningar ser du i en webbläsare på:
signins-own-qr = Eller skanna QR-koden med telefonen.
signins-own-no-qr = Öppna adressen på telefonen eller en annan dator.
signin-demo-others = Samma lösenord: { $ordinary } är en vanlig användare (se Inloggningar); villkorsstyrd åtkomst blockerar { $blocked }.
device-back = Tryck Esc för att gå tillbaka.
# AADSTS codes (graph.md 1.8) not covered by an error of their own
err-helpdesk = Till supporten: felkod { $code }.
aadsts-50056 = Ditt konto har inget lösenord sparat, så det kan inte logga in med ett. Be supporten att ange ett.
aadsts-50058 = Tjänsten hittade ingen inloggad session för dig. Logga in igen.
aadsts-50059 = Tjänsten kunde inte avgöra vilken organisation ditt konto tillhör. Kontrollera delen efter @ i ditt inloggningsnamn, eller fråga supporten vilken organisation (klientorganisation) du ska använda.
aadsts-50005 = Organisationens princip för villkorsstyrd åtkomst tillåter inte inloggning från den här typen av enhet eller operativsystem. Logga in från en enhet som organisationen stöder, eller kontakta supporten.
aadsts-50020 = Ditt konto är inte medlem eller gäst i den här organisationen. Kontrollera att du använde rätt konto, eller be organisationen att bjuda in dig.
aadsts-50173 = Din inloggning gäller inte längre, till exempel för att lösenordet ändrades eller alla sessioner loggades ut. Logga in igen.
aadsts-53000 = Organisationen tillåter inloggning bara från kompatibla (hanterade) enheter, och den här enheten är inte en sådan. Logga in från en hanterad enhet, eller be supporten att registrera den här.
aadsts-53001 = Organisationen tillåter inloggning bara från enheter som är anslutna till dess domän, och den här enheten är inte det. Logga in från en sådan enhet, eller kontakta supporten.
aadsts-53003 = Organisationens princip för villkorsstyrd åtkomst blockerade den här inloggningen. Att försöka igen hjälper inte: kontakta supporten, som kan se vilken princip som blockerade den och varför.
aadsts-530035 = Organisationens standardinställningar för säkerhet blockerade inloggningen (till exempel en inloggning med bara lösenord). Fråga supporten hur du ska logga in.
aadsts-50105 = Din administratör har inte gett ditt konto åtkomst till den här appen. Be supporten att tilldela dig den.
aadsts-50158 = Organisationen kräver en extra säkerhetskontroll från en annan leverantör, och den kan inte göras här. Logga in på en annan enhet med en webbläsare, eller kontakta supporten.
aadsts-50097 = Organisationen kräver att enheten bevisar sin identitet (enhetsautentisering), vilket den här appen inte kan. Logga in på en annan enhet, eller kontakta supporten.
aadsts-65002 = Appens klient-id är inte godkänt för Microsoft Graph i din organisation. Administratören behöver registrera organisationens egen app och ange dess id (--client-id).
aadsts-70000 = Din inloggning gäller inte längre. Logga in igen.
aadsts-70011 = Tjänsten avvisade behörigheterna som appen bad om. Det är ett konfigurationsfel: meddela supporten.
aadsts-70018 = Koden som angavs på den andra enheten var fel. Börja om med en ny kod.
aadsts-70043 = Organisationen kräver att du loggar in igen efter en viss tid. Logga in igen.
aadsts-7000218 = Appens registrering tillåter inte inloggning från en terminal ("Tillåt offentliga klientflöden" är avstängt). Administratören måste slå på det i appregistreringen.
aadsts-700016 = App-id:t som verktyget använder är okänt i din organisation (fel klient-id eller fel klientorganisation). Administratören måste kontrollera inställningarna --client-id och --tenant.
aadsts-700025 = Appen är registrerad som offentlig klient, men en hemlighet skickades med inloggningen. Administratören måste kontrollera appregistreringen.
aadsts-700082 = Din inloggning gick ut eftersom den inte använts på länge. Logga in igen.
aadsts-90002 = Organisationen (klientorganisationen) som verktyget är inställt på hittades inte. Kontrollera inställningen --tenant, delen efter @ i ditt inloggningsnamn och om organisationen använder ett nationellt moln (--authority-url).
aadsts-9001023 = Inloggning med lösenord kräver organisationens egen klientorganisation, inte "common". Ange organisationens domän eller klient-id med --tenant.
aadsts-50194 = Appen är registrerad för en enda organisation och kan inte användas med klientorganisationen "common". Ange organisationens domän eller klient-id med --tenant.
aadsts-9002331 = Appen är registrerad bara för personliga Microsoft-konton. Administratören måste använda en app som är registrerad för arbets- eller skolkonton.

## dirpolicy
rule-min-length = minst { $min } tecken
rule-min-length-credits = minst { $min } tecken, där datorn räknar vissa siffror, versaler, gemener eller symboler som två
rule-max-length = högst { $max } tecken
rule-ad-complexity = tecken av 3 av dessa 5 sorter: versaler, gemener, siffror, symboler, bokstäver utan skiftläge
rule-min-kind = minst { $n } { $kind ->
    [lower] { $n ->
        [one] gemen
       *[other] gemener
    }
    [upper] { $n ->
        [one] versal
       *[other] versaler
    }
    [digit] { $n ->
        [one] siffra
       *[other] siffror
    }
   *[other] { $n ->
        [one] symbol
       *[other] symboler
    }
}
rule-no-ad-name = ingen del av ditt kontonamn eller visningsnamn (3 bokstäver eller fler)
rule-no-user-name = inte innehålla ditt användarnamn
rule-max-repeat = inget tecken fler än { $n } gånger i rad
rule-history = skilja sig från dina { $n } senaste lösenord
issue-new-empty = Ange ett nytt lösenord.
issue-too-short-credits = Det nya lösenordet är för kort enligt datorns regler (minst { $min }, där vissa sorters tecken räknas som två).
issue-ad-complexity = Använd tecken av minst 3 av dessa 5 sorter: versaler, gemener, siffror, symboler, bokstäver utan skiftläge.
issue-contains-ad-name = Det nya lösenordet innehåller ditt kontonamn eller en del av ditt visningsnamn. Välj ett utan dem.
issue-contains-name = Det nya lösenordet innehåller ditt användarnamn. Välj ett utan det.
issue-few-of-kind = Det nya lösenordet behöver fler tecken av vissa sorter.
issue-few-of-kind-list = Det nya lösenordet behöver { $list }.
issue-repeats = Det nya lösenordet upprepar ett tecken för många gånger i rad.
issue-repeats-n = Det nya lösenordet upprepar ett tecken fler än { $n } gånger i rad.
policy-from-domain = Regler för domänen { $name }
policy-from-pso = Regler i lösenordsprincipen "{ $name }" som gäller dig
policy-from-ppolicy = Regler i katalogens lösenordsprincip { $name }
policy-from-pam = Regler för den här datorn (PAM-tjänsten { $name })
policy-from-flags = Regler som din administratör har angett för appen
policy-unknown = Din katalog kontrollerar det nya lösenordet när du skickar det; dess regler går inte att läsa här.
policy-more-checks = Katalogen kontrollerar det också på sätt som inte står här när du skickar det.
policy-more-checks-host = Den här datorn kontrollerar det också när du skickar det (till exempel mot en ordlista, eller om det liknar det gamla för mycket).
policy-max-age = Lösenord går ut { $days ->
    [one] 1 dag
   *[other] { $days } dagar
} efter att de har satts.
policy-lockout = { $n } felaktiga lösenord i rad låser kontot.
policy-grace = När det har gått ut kan du fortfarande logga in { $n ->
    [one] en gång
   *[other] { $n } gånger
} för att byta det.
policy-too-soon = Ditt lösenord byttes nyligen: reglerna låter dig byta det igen efter { $date }.
err-setup-anonymous = Appen kan inte hitta ditt konto: katalogen tillåter inte sökningar utan att man loggar in först. Be din administratör att ange --dn-template (hur ditt namn i katalogen bildas) eller ett sökkonto med --bind-dn och --bind-password-file.
err-setup-base-missing = Appen kan inte hitta ditt konto: platsen där den söker, { $base }, finns inte i katalogen. Be din administratör att rätta --base-dn.
err-setup-tls = Appen kan inte hitta ditt konto: katalogen kräver en krypterad anslutning. Be din administratör att använda en ldaps://-adress eller --starttls.
err-setup-unwilling = Appen kan inte hitta ditt konto: katalogen vägrar utföra sökningen. Be din administratör att kontrollera katalogens inställningar för sökningar från appen (--base-dn, --user-filter, --bind-dn).
err-setup-ambiguous = { $n } poster i katalogen matchar namnet du skrev, så det går inte att veta vilket konto som är ditt. Logga in med ett mer exakt namn, eller be din administratör att snäva in --user-filter.
err-setup-service-refused = Kontot som appen använder för att söka i katalogen nekades (LDAP-resultat { $rc }). Be din administratör att kontrollera --bind-dn och dess lösenordsfil.
err-host-refused = Den här datorn godtog inte det nya lösenordet. Välj ett annat.
err-host-refused-said = Den här datorn godtog inte det nya lösenordet: "{ $text }"

## help overlay: each page lists the keys that act on it
help-revoke-sessions = Logga ut överallt (frågar först)
help-privacy-toggle = Innehållsidentifiering på/av (frågar)

## graphids
err-helpdesk-ids = Till supporten:
strength-breached = svagt (finns i kända dataintrång)
err-is-current = Det nya lösenordet är ditt nuvarande lösenord, och det godtar Microsoft Entra inte vid ett byte. Välj ett annat.
privacy-field-sAMAccountName = Inloggningsnamn i Windows
privacy-field-distinguishedName = Din post i katalogen
privacy-field-city = Ort

## pages
help-ends = Första/sista i menyn eller listan

## fold
too-small-reader = Gör fönstret större: minst { $w }×{ $h } tecken behövs. I alla storlekar fungerar myaccount --screen-reader rad för rad.
fold-more-above = ↑ { $n } till ovanför
fold-more-below = ↓ { $n } till nedanför (PgDn)

## keymap2
help-line-move = Flytta i användarnamnet; Del tar bort nästa tecken
help-line-keys = Början eller slutet av användarnamnet; Ctrl-W tar bort ett ord
help-open-link = Öppna länken (enhetskod, glömt lösenord)
help-submit-button = Skicka (på knappen)
help-fold-scroll = Rulla fram det fönstret skär av

## fold3
ssh-more = Mer om nycklarna: Enter
ssh-detail-title = Nyckel { $n } av { $total }
device-detail-title = Enhet { $n } av { $total }
org-detail-title = Organisation { $n } av { $total }


## lead: the default sign-in methods the menu's choices don't name (the service may report them)
default-fido2 = Nyckel (FIDO2)
default-windowsHelloForBusiness = Windows Hello för företag
