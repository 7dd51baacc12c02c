import { ROLE_ERRORS, type RoleErrorCode } from "../modules/access/errors.js";
import { GRANT_EXAMPLE, REVOKE_EXAMPLE } from "../modules/access/parse-role-command.js";
import { API_TOKEN_ERRORS, type ApiTokenErrorCode } from "../modules/api-tokens/errors.js";
import { joinSwedish } from "../modules/cases/present-case.js";
import { DIGEST_ERRORS, type DigestErrorCode } from "../modules/digests/errors.js";
import { FOLLOW_ERRORS, type FollowErrorCode } from "../modules/follows/errors.js";
import { IDENTIFIER_ERRORS, type IdentifierErrorCode } from "../modules/identifiers/errors.js";
import { ACCEPTED_FORMS } from "../modules/identifiers/parse-identifier.js";
import { INTEGRATION_ERRORS, type IntegrationErrorCode } from "../modules/integration/errors.js";
import { REFERRAL_ERRORS, type ReferralErrorCode } from "../modules/referrals/errors.js";
import { REPORT_ERRORS, type ReportErrorCode } from "../modules/reports/errors.js";
import { RESPONSE_ERRORS, type ResponseErrorCode } from "../modules/responses/errors.js";
import { SEARCH_ERRORS, type SearchErrorCode } from "../modules/search/errors.js";
import { SHARED_ERRORS, type SharedErrorCode } from "../modules/shared/errors.js";
import { formatCalendarDay } from "../modules/shared/swedish-time.js";

/**
 * The Swedish words for every error code, the one place the edges (Slack and the terminal) take them
 * from. Use cases return a code, with the values its sentence needs; the sentence is written here.
 * Keys are the modules' own constants, so a code is spelled once, in its module's errors.ts.
 * Messages may hold Slack's `code` marks; the terminal turns them into plain quotes.
 */

export type ErrorCode =
  | ReferralErrorCode
  | ResponseErrorCode
  | DigestErrorCode
  | RoleErrorCode
  | IdentifierErrorCode
  | ApiTokenErrorCode
  | IntegrationErrorCode
  | SearchErrorCode
  | FollowErrorCode
  | ReportErrorCode
  | SharedErrorCode;

/** Dates are passed as "YYYY-MM-DD" and written out here, "31 mars 2017". */
type Day = string;
/** A body of the registry as a digest filter can name it: `organ:kod` and its name. */
type TypeableBody = { word: string; name: string };

const CASE_GONE = "Ärendet finns inte längre i diariet.";
const DIGEST_EXAMPLE = "`/arende digest prenumerera tisdag 09:30 motioner`";
const DIGEST_WHAT_FITS =
  'en veckodag (`måndag` … `söndag` eller `mån`, `tis` …), en tid (`09:30`), ärendeslag (`skrivelser`, `motioner`, `medborgarförslag`, `interpellationer`, `remisser`), organ (`organ:socialnämnden` eller `organ:"Bromma stadsdelsnämnd"`) och `utan-tomma`';
const SEARCH_EXAMPLE = "`/arende sök kompetensutvecklingspeng typ:motion`";
const FOLLOW_EXAMPLE = "`/arende bevaka Dnr 108-1642/2017`";
const REPORT_EXAMPLE = "`/arende rapport motioner per 2017-04-03`";
const REPORT_SCHEDULE_EXAMPLE =
  "`/arende rapport motioner schema första måndagen i april och oktober kl. 08:00`";
const ROLE_WORDS = "`registrator`, `handläggare`, `godkännare` eller `admin`";

/** The role command a person was typing: `ge` and `ta` change a role, `lista` lists them. */
type RoleVerb = "ge" | "ta" | "lista";

function roleExample(verb: RoleVerb): string {
  return verb === "ge" ? GRANT_EXAMPLE : verb === "ta" ? REVOKE_EXAMPLE : "`/arende roll lista @namn`";
}

/** The command an admin types to give the role; the asker passes it on. */
function askAdmin(role: string, body: string): string {
  return `Be en administratör ge dig rollen med \`/arende roll ge @namn ${role} ${body}\` (\`/arende roll lista\` visar vilka som är administratörer).`;
}

/** " Menade du `a`?", " Menade du något av `a`, `b`?" or nothing. */
function didYouMean(candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  return ` Menade du ${candidates.length === 1 ? "" : "något av "}${candidates.join(", ")}?`;
}

function typeable(bodies: readonly TypeableBody[]): string[] {
  return bodies.map((body) => `\`${body.word}\` (${body.name})`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a, b, c eller d" */
function eitherOf(items: readonly string[]): string {
  const head = items.slice(0, -1);
  const last = items.at(-1) ?? "";
  return head.length === 0 ? last : `${head.join(", ")} eller ${last}`;
}

export const SV = {
  // --- Remiss (src/modules/referrals) -----------------------------------------------------------
  [REFERRAL_ERRORS.notAllowed]: ({ body }: { body: string | null }) =>
    body
      ? `Bara registratorer för ${body}, som ansvarar för ärendet, och administratörer kan skicka ärendet på remiss. ${askAdmin("registrator", body)}`
      : `Bara registratorer för ärendets ansvariga organ och administratörer kan skicka ärenden på remiss. ${askAdmin("registrator", "[organ]")}`,
  [REFERRAL_ERRORS.caseNotFound]: () => CASE_GONE,
  [REFERRAL_ERRORS.noBodies]: () => "Välj minst en remissinstans.",
  [REFERRAL_ERRORS.tooManyBodies]: ({ max }: { max: number }) =>
    `Välj högst ${max} remissinstanser åt gången.`,
  [REFERRAL_ERRORS.unknownBody]: () => "En av de valda remissinstanserna finns inte längre. Välj igen.",
  [REFERRAL_ERRORS.alreadyOpen]: ({ bodies }: { bodies: readonly string[] }) =>
    bodies.length === 1
      ? `${joinSwedish([...bodies])} har redan en öppen remiss i ärendet. Ta bort den ur urvalet.`
      : `${joinSwedish([...bodies])} har redan öppna remisser i ärendet. Ta bort dem ur urvalet.`,
  [REFERRAL_ERRORS.invalidDueDate]: () => "Välj ett svarsdatum.",
  [REFERRAL_ERRORS.dueInPast]: ({ date, today }: { date: Day; today: Day }) =>
    `${formatCalendarDay(date)} har redan varit. Välj i dag (${formatCalendarDay(today)}) eller ett senare datum.`,
  [REFERRAL_ERRORS.messageTooLong]: ({ max, length }: { max: number; length: number }) =>
    `Meddelandet får vara högst ${max} tecken (nu ${length}).`,
  [REFERRAL_ERRORS.dueOnNonWorkingDay]: ({ date, warning }: { date: Day; warning: string }) =>
    `${capitalise(warning)} (${formatCalendarDay(date)}). Datumet sparas som du angett det. Tryck *Skicka ändå* för att behålla det, eller välj en vardag.`,

  // --- Remissvar and its decision (src/modules/responses) ----------------------------------------
  [RESPONSE_ERRORS.notAllowed]: ({ body }: { body: string | null }) =>
    `Bara handläggare och registratorer ${body ? `för ${body}` : "för organet"} kan registrera remissvaret. ${askAdmin("handläggare", body ?? "[organ]")}`,
  [RESPONSE_ERRORS.caseNotFound]: () => CASE_GONE,
  [RESPONSE_ERRORS.noOpenReferrals]: ({ case: label }: { case: string }) =>
    `${label} har inga öppna remisser att svara på.`,
  [RESPONSE_ERRORS.noReferral]: () => "Välj remissen du svarar på.",
  [RESPONSE_ERRORS.unknownReferral]: () =>
    "Remissen finns inte längre i ärendet. Stäng formuläret och börja om.",
  [RESPONSE_ERRORS.referralClosed]: ({ body }: { body: string }) =>
    `Remissen till ${body} är inte längre öppen.`,
  [RESPONSE_ERRORS.alreadyPending]: ({ body }: { body: string }) =>
    `${body} har redan ett remissvar som väntar på godkännande. Det måste godkännas eller avslås innan ett nytt kan registreras.`,
  [RESPONSE_ERRORS.invalidAnswerDate]: () => "Välj datumet för svaret.",
  [RESPONSE_ERRORS.answerDateInFuture]: ({ date, today }: { date: Day; today: Day }) =>
    `${formatCalendarDay(date)} har inte varit än. Välj i dag (${formatCalendarDay(today)}) eller ett tidigare datum.`,
  [RESPONSE_ERRORS.summaryRequired]: () =>
    "Skriv en sammanfattning av svaret, eller kryssa i att organet avstår.",
  [RESPONSE_ERRORS.summaryTooLong]: ({ max, length }: { max: number; length: number }) =>
    `Sammanfattningen får vara högst ${max} tecken (nu ${length}).`,
  [RESPONSE_ERRORS.invalidLink]: ({ max }: { max: number }) =>
    `Länken måste vara en webbadress som börjar med https:// eller http:// (högst ${max} tecken).`,
  [RESPONSE_ERRORS.approvalNotAllowed]: ({ body }: { body: string | null }) =>
    `Bara godkännare ${body ? `för ${body}` : "för organet"} kan godkänna remissvaret. ${askAdmin("godkännare", body ?? "[organ]")}`,
  [RESPONSE_ERRORS.notFound]: () => "Remissvaret finns inte längre i diariet.",
  /** `by` as the reader sees it (a mention in a message, a name in a form); `when` already written out. */
  [RESPONSE_ERRORS.alreadyDecided]: ({
    state,
    by,
    when,
  }: {
    state: "approved" | "rejected";
    by: string;
    when: string | null;
  }) => `Redan avgjort: ${state === "approved" ? "godkänd" : "avslagen"} av ${by}${when ? ` ${when}` : ""}.`,
  [RESPONSE_ERRORS.expired]: () =>
    "Remissen är inte längre öppen (den är besvarad eller återkallad), så svaret kan inte längre godkännas.",
  [RESPONSE_ERRORS.reasonRequired]: () =>
    "Skriv varför svaret avslås; skälet skickas till den som registrerade det.",
  [RESPONSE_ERRORS.reasonTooLong]: ({ max, length }: { max: number; length: number }) =>
    `Skälet får vara högst ${max} tecken (nu ${length}).`,

  // --- Weekly digest (src/modules/digests) -------------------------------------------------------
  [DIGEST_ERRORS.notAllowed]: () =>
    `Bara registratorer och administratörer kan ändra bevakningsutskicket. ${askAdmin("registrator", "[organ]")}`,
  [DIGEST_ERRORS.notSubscribed]: () =>
    "Den här kanalen får inget utskick av veckans förseningar, så det finns inget att avsluta. Vill du börja, skriv `/arende digest prenumerera`.",
  [DIGEST_ERRORS.unknownBody]: ({
    term,
    candidates,
  }: {
    term: string;
    candidates: readonly TypeableBody[];
  }) =>
    `Jag hittar inget organ som heter «${term}».${
      candidates.length > 0
        ? didYouMean(typeable(candidates))
        : ' Skriv organets kod eller hela namnet som det står i diariet, till exempel `organ:"Bromma stadsdelsnämnd"`.'
    }`,
  [DIGEST_ERRORS.ambiguousBody]: ({
    term,
    candidates,
  }: {
    term: string;
    candidates: readonly TypeableBody[];
  }) => {
    const named = typeable(candidates);
    return `«${term}» passar flera organ: ${named.join(", ")}. Skriv organets kod, till exempel ${named[0] ?? "`organ:socialnamnden`"}.`;
  },
  [DIGEST_ERRORS.unknownSubcommand]: ({ word, guess }: { word: string; guess: string | null }) =>
    `Jag känner inte igen «${word}» efter \`digest\`.${guess ? ` Menade du \`${guess}\`?` : ""} Skriv \`/arende digest prenumerera\`, \`/arende digest inställningar\`, \`/arende digest avsluta\` eller \`/arende digest visa\`.`,
  [DIGEST_ERRORS.unexpectedWords]: ({ subcommand, words }: { subcommand: string; words: string }) =>
    `\`${subcommand}\` behöver inget mer, men jag fick också «${words}». Skriv bara \`/arende digest ${subcommand}\`.`,
  [DIGEST_ERRORS.invalidWeekday]: ({ word, guess }: { word: string; guess: string | null }) =>
    `«${word}» är ingen veckodag jag känner igen.${guess ? ` Menade du ${guess}?` : ""} Skriv en veckodag, \`måndag\` … \`söndag\` (går också utan å, ä, ö eller förkortad: \`mån\`, \`tis\`, \`ons\`, \`tor\`, \`fre\`, \`lör\`, \`sön\`), till exempel ${DIGEST_EXAMPLE}.`,
  [DIGEST_ERRORS.invalidTime]: ({ word }: { word: string }) =>
    `«${word}» är ingen tid jag kan läsa. Skriv tiden som TT:MM mellan 00:00 och 23:59, till exempel \`08:00\`, \`9:30\` eller \`9.30\`.`,
  [DIGEST_ERRORS.duplicateWeekday]: ({ first, second }: { first: string; second: string }) =>
    `Utskicket går en dag i veckan; jag fick både ${first} och ${second}. Välj en, till exempel ${DIGEST_EXAMPLE}.`,
  [DIGEST_ERRORS.duplicateTime]: ({ first, second }: { first: string; second: string }) =>
    `Ange en enda tid; jag fick både ${first} och ${second}. Skriv till exempel ${DIGEST_EXAMPLE}.`,
  [DIGEST_ERRORS.emptyBody]: () =>
    'Efter `organ:` ska organets kod eller namn stå, utan mellanslag efter kolon. Skriv till exempel `organ:socialnämnden` eller `organ:"Bromma stadsdelsnämnd"`.',
  [DIGEST_ERRORS.unclosedQuote]: ({ near }: { near: string }) =>
    `Citattecknet i «${near}» avslutas aldrig. Sätt ett citattecken på båda sidor om namnet, till exempel \`organ:"Bromma stadsdelsnämnd"\`.`,
  [DIGEST_ERRORS.conflictingEmptySetting]: ({ skip, post }: { skip: string; post: string }) =>
    `Välj antingen \`${skip}\` (inget utskick de veckor inget är försenat) eller \`${post}\` (en kort rad även då), inte båda.`,
  /** `afterBody`: the word followed an `organ:` filter, so it is likely the rest of a name with spaces. */
  [DIGEST_ERRORS.unknownWord]: ({
    word,
    guess,
    afterBody,
  }: {
    word: string;
    guess: string | null;
    afterBody: boolean;
  }) =>
    `Jag förstår inte «${word}».${
      afterBody
        ? ' Har organets namn flera ord? Sätt det inom citattecken: `organ:"Bromma stadsdelsnämnd"`.'
        : guess
          ? ` Menade du \`${guess}\`?`
          : ""
    } Efter \`prenumerera\` kan du skriva ${DIGEST_WHAT_FITS}, till exempel ${DIGEST_EXAMPLE}.`,

  // --- Roles (src/modules/access) ----------------------------------------------------------------
  [ROLE_ERRORS.notAllowed]: () =>
    "Bara administratörer kan ge och ta roller. Be en administratör (`/arende roll lista` visar vilka), eller be driftansvarig lägga till dig i ARENDE_ADMINS.",
  [ROLE_ERRORS.bodyForbidden]: ({ verb }: { verb: "ge" | "ta" }) =>
    `Administratör gäller hela arendebot, inte ett organ. Skriv utan organ: \`/arende roll ${verb} @namn admin\`.`,
  [ROLE_ERRORS.bodyRequired]: ({ verb, role }: { verb: "ge" | "ta"; role: string }) =>
    `Rollen ${role} gäller ett organ. Skriv vilket efter rollen, till exempel \`/arende roll ${verb} @namn ${role} socialnämnden\`.`,
  [ROLE_ERRORS.ambiguousBody]: ({
    term,
    candidates,
    verb,
    role,
  }: {
    term: string;
    candidates: readonly { code: string; name: string }[];
    verb: "ge" | "ta";
    role: string;
  }) =>
    `«${term}» passar flera organ: ${candidates.map((body) => `\`${body.name}\``).join(", ")}. Skriv organets kod eller hela namnet, till exempel \`/arende roll ${verb} @namn ${role} ${candidates[0]?.code ?? "socialnämnden"}\`.`,
  [ROLE_ERRORS.unknownBody]: ({ term, candidates }: { term: string; candidates: readonly string[] }) =>
    `Jag hittar inget organ som heter «${term}».${
      candidates.length > 0
        ? didYouMean(candidates.map((name) => `\`${name}\``))
        : " Skriv organets kod eller hela namnet som det står i diariet, till exempel `Bromma stadsdelsnämnd`."
    }`,
  [ROLE_ERRORS.lastAdmin]: () =>
    "Det går inte att ta bort den sista administratören: då kan ingen längre ge eller ta roller. Gör först någon annan till administratör med `/arende roll ge @namn admin`.",
  [ROLE_ERRORS.bootstrapAdmin]: () =>
    "Den personen är administratör genom ARENDE_ADMINS i driftens inställningar, och det går inte att ändra här. Be driftansvarig ta bort användar-id:t ur ARENDE_ADMINS.",
  [ROLE_ERRORS.unknownSubcommand]: ({ word, guess }: { word: string; guess: string | null }) =>
    `Jag känner inte igen «${word}» efter \`roll\`.${guess ? ` Menade du \`${guess}\`?` : ""} Skriv ${GRANT_EXAMPLE}, ${REVOKE_EXAMPLE} eller \`/arende roll lista\`.`,
  [ROLE_ERRORS.severalUsers]: ({ verb, count }: { verb: RoleVerb; count: number }) =>
    verb === "lista"
      ? "Lista en person i taget, till exempel `/arende roll lista @namn`, eller allas roller med `/arende roll lista`."
      : `Ändra en persons roll i taget; jag fick ${count} personer. Skriv till exempel ${roleExample(verb)}.`,
  [ROLE_ERRORS.unexpectedWords]: ({ words }: { words: string }) =>
    `Lista antingen en person eller ett organ, inte båda; jag fick också «${words}». Skriv \`/arende roll lista @namn\` eller \`/arende roll lista socialnämnden\`.`,
  [ROLE_ERRORS.unresolvedUser]: ({ word, verb }: { word: string; verb: RoleVerb }) =>
    `Jag kan inte se vem «${word}» är. Välj personen i listan som kommer upp när du skriver @, så att namnet blir en länk, till exempel ${roleExample(verb)}.`,
  [ROLE_ERRORS.missingUser]: ({ verb }: { verb: "ge" | "ta" }) =>
    `Vem gäller det? Välj personen med @ efter \`${verb}\`, till exempel ${roleExample(verb)}.`,
  [ROLE_ERRORS.missingRole]: ({ verb }: { verb: "ge" | "ta" }) =>
    `Vilken roll? Skriv en av ${ROLE_WORDS} efter personen, till exempel ${roleExample(verb)}.`,
  [ROLE_ERRORS.unknownRole]: ({
    word,
    guess,
    verb,
  }: {
    word: string;
    guess: string | null;
    verb: "ge" | "ta";
  }) =>
    `«${word}» är ingen roll jag känner till.${guess ? ` Menade du \`${guess}\`?` : ""} Rollerna är ${ROLE_WORDS}; skriv till exempel ${roleExample(verb)}.`,

  // --- Identifiers (src/modules/identifiers) -----------------------------------------------------
  [IDENTIFIER_ERRORS.empty]: () =>
    "Ange ett diarienummer eller ett dokumentnummer, till exempel Dnr 108-1642/2017 eller Motion 2016:114.",
  [IDENTIFIER_ERRORS.unrecognised]: ({ typed }: { typed: string }) =>
    `«${typed}» ser inte ut som ett diarienummer eller dokumentnummer. Skriv till exempel ${eitherOf(ACCEPTED_FORMS)}.`,

  // --- API tokens (src/modules/api-tokens) -------------------------------------------------------
  [API_TOKEN_ERRORS.badName]: ({ name }: { name: string }) =>
    `«${name}» kan inte vara namnet på en API-nyckel. Använd bokstäver, siffror, punkt, understreck och bindestreck (högst 64 tecken), till exempel \`e-arkiv\`.`,
  [API_TOKEN_ERRORS.nameTaken]: ({ name }: { name: string }) =>
    `Det finns redan en giltig API-nyckel som heter «${name}». Välj ett annat namn, eller återkalla den först med \`arendebot token återkalla ${name}\`.`,
  [API_TOKEN_ERRORS.unknownName]: ({ name }: { name: string }) =>
    `Det finns ingen giltig API-nyckel som heter «${name}». \`arendebot token lista\` visar nycklarna.`,

  // --- The HTTP API (src/modules/integration) ----------------------------------------------------
  [INTEGRATION_ERRORS.unauthorized]: () =>
    "API-nyckel saknas, är ogiltig eller har återkallats. Skicka den som `Authorization: Bearer <nyckel>`; en ny skapas med `arendebot token skapa`.",
  [INTEGRATION_ERRORS.forbidden]: () =>
    "API-nyckeln får bara läsa. Skriva kräver en nyckel skapad med `--rätt skriva`.",
  [INTEGRATION_ERRORS.rateLimited]: ({ retryAfterS }: { retryAfterS: number }) =>
    `För många anrop med den här API-nyckeln. Försök igen om ${retryAfterS} s.`,
  [INTEGRATION_ERRORS.bodyTooLarge]: ({ maxKb }: { maxKb: number }) =>
    `Anropets innehåll är större än ${maxKb} KiB. Dela upp ärendena på flera anrop.`,
  [INTEGRATION_ERRORS.notJson]: () => "Anropets innehåll är inte giltig JSON (UTF-8).",
  [INTEGRATION_ERRORS.unsupportedMediaType]: () =>
    "Anropets innehåll ska vara JSON: skicka `Content-Type: application/json`.",
  [INTEGRATION_ERRORS.invalid]: ({ count }: { count: number }) =>
    count === 1
      ? "Anropet har ett fel; se `errors`. Inget har sparats."
      : `Anropet har ${count} fel; se \`errors\`. Inget har sparats.`,
  [INTEGRATION_ERRORS.notFound]: ({ identifier }: { identifier: string }) =>
    `Det finns inget ärende ${identifier} i diariet.`,
  [INTEGRATION_ERRORS.unknownRoute]: () => "Det finns ingen sådan adress i API:t; se /api/v1/openapi.json.",
  [INTEGRATION_ERRORS.methodNotAllowed]: ({ allowed }: { allowed: string }) =>
    `Adressen tar bara emot ${allowed}.`,
  [INTEGRATION_ERRORS.duplicateItem]: ({ earlier }: { earlier: string }) =>
    `Samma ärende som ${earlier} i samma anrop; skicka varje ärende en gång.`,
  [INTEGRATION_ERRORS.notProcessed]: () =>
    "Inte sparat: diariet hade för mycket att göra. Skicka ärendet igen om en stund.",
  // --- Search (src/modules/search) ---------------------------------------------------------------
  [SEARCH_ERRORS.emptyQuery]: () =>
    `Vad vill du söka efter? Skriv några ord ur ärendets titel, till exempel ${SEARCH_EXAMPLE}.`,
  [SEARCH_ERRORS.onlyCommonWords]: ({ words }: { words: string }) =>
    `«${words}» är bara vanliga småord som sökningen hoppar över (som «och», «att», «om»). Skriv ett ord ur ärendets titel, till exempel ${SEARCH_EXAMPLE}.`,
  [SEARCH_ERRORS.tooLong]: ({ max }: { max: number }) =>
    `Sökningen är för lång; använd högst ${max} tecken, några ord ur titeln räcker, till exempel ${SEARCH_EXAMPLE}.`,
  [SEARCH_ERRORS.unknownKind]: ({ word }: { word: string }) =>
    `«${word}» är ingen ärendetyp. Skriv \`typ:motion\`, \`typ:skrivelse\`, \`typ:medborgarförslag\`, \`typ:interpellation\`, \`typ:remiss\` eller \`typ:övrigt\`.`,
  [SEARCH_ERRORS.emptyBody]: () =>
    'Skriv organets namn efter `organ:`, till exempel `organ:socialnämnden` eller `organ:"Bromma stadsdelsnämnd"`.',
  [SEARCH_ERRORS.invalidYear]: ({ word }: { word: string }) =>
    `«${word}» är inget årtal. Skriv året med fyra siffror, till exempel \`år:2017\`.`,
  [SEARCH_ERRORS.unknownBody]: ({ term, candidates }: { term: string; candidates: readonly string[] }) =>
    `Hittar inget organ som heter «${term}».${didYouMean(candidates.map((name) => `\`organ:"${name}"\``))}`,
  [SEARCH_ERRORS.ambiguousBody]: ({ term, candidates }: { term: string; candidates: readonly string[] }) =>
    `«${term}» kan vara flera organ: ${candidates.map((name) => `\`organ:"${name}"\``).join(", ")}. Skriv hela namnet.`,

  // --- Following a case (src/modules/follows) ----------------------------------------------------
  [FOLLOW_ERRORS.missingIdentifier]: ({ verb }: { verb: "bevaka" | "sluta bevaka" }) =>
    `Skriv vilket ärende du vill ${verb === "bevaka" ? "bevaka" : "sluta bevaka"}, till exempel \`/arende ${verb} Dnr 108-1642/2017\`; lägg till \`kanal\` sist för kanalens bevakning.`,
  [FOLLOW_ERRORS.unexpectedWords]: ({ words }: { words: string }) =>
    `Jag förstår inte «${words}» efter \`bevakningar\`. Skriv bara \`/arende bevakningar\`.`,
  [FOLLOW_ERRORS.notInChannel]: () =>
    `\`kanal\` går bara i en kanal: skriv kommandot i kanalen som ska bevaka ärendet. Här kan du bevaka det själv med ${FOLLOW_EXAMPLE}.`,
  [FOLLOW_ERRORS.notAllowed]: () =>
    `Bara registratorer och administratörer kan låta en kanal bevaka ett ärende. Du kan bevaka det själv, med besked i ett direktmeddelande: ${FOLLOW_EXAMPLE}. ${askAdmin("registrator", "[organ]")}`,
  [FOLLOW_ERRORS.notEntitled]: ({ case: label }: { case: string }) =>
    `${label} omfattas av sekretess och du är inte behörig till ärendet, så du kan inte bevaka det. Behöriga är ärendets handläggare, administratörer och de som har en roll för ärendets ansvariga organ.`,
  [FOLLOW_ERRORS.channelRestricted]: ({ case: label }: { case: string }) =>
    `${label} omfattas av sekretess, så en kanal kan inte bevaka det. Den som är behörig kan bevaka det själv, med besked i ett direktmeddelande: \`/arende bevaka ${label}\`.`,
  [FOLLOW_ERRORS.alreadyFollowing]: ({ case: label, who }: { case: string; who: "du" | "kanalen" }) =>
    `${who === "du" ? "Du" : "Kanalen"} bevakar redan ${label}. \`/arende bevakningar\` visar alla bevakningar.`,
  [FOLLOW_ERRORS.notFollowing]: ({ case: label, who }: { case: string; who: "du" | "kanalen" }) =>
    `${who === "du" ? "Du" : "Kanalen"} bevakar inte ${label}. \`/arende bevakningar\` visar vad som bevakas.`,
  [FOLLOW_ERRORS.severalRegistries]: ({ registries }: { registries: readonly string[] }) =>
    `Numret finns i flera diarier (${joinSwedish([...registries])}). Ange ärendet med ett annat nummer, till exempel motionens eller promemorians, så att det blir entydigt.`,
  [FOLLOW_ERRORS.caseGone]: () => CASE_GONE,
  // --- The motion report and its schedule (src/modules/reports) ----------------------------------
  [REPORT_ERRORS.invalidDate]: ({ typed }: { typed: string }) =>
    `«${typed}» är inget datum. Skriv dagen som ÅÅÅÅ-MM-DD, till exempel ${REPORT_EXAMPLE}.`,
  [REPORT_ERRORS.unknownReport]: ({ word }: { word: string }) =>
    `Det finns ingen rapport «${word}». Skriv ${REPORT_EXAMPLE} för motioner och medborgarförslag som inte beslutats inom ett år.`,
  [REPORT_ERRORS.unexpectedWords]: ({ words }: { words: string }) =>
    `Förstår inte «${words}». Skriv ${REPORT_EXAMPLE}, eller \`/arende rapport motioner schema första måndagen i april och oktober\`.`,
  [REPORT_ERRORS.invalidSchedule]: ({ typed, problem }: { typed: string; problem: string }) =>
    `Förstår inte schemat «${typed}»: ${problem} Skriv till exempel ${REPORT_SCHEDULE_EXAMPLE} (\`första\`, \`andra\`, \`tredje\`, \`fjärde\` eller \`sista\`, en veckodag, månaderna, och om du vill en tid som \`kl. 9.30\`; annars 08:00).`,
  [REPORT_ERRORS.notAllowed]: () =>
    "Bara administratörer och registratorer kan schemalägga eller avsluta kanalens rapport. Be en administratör ge dig rollen med `/arende roll ge @namn registrator [organ]`.",
  [REPORT_ERRORS.notScheduled]: () =>
    `Kanalen har ingen schemalagd rapport. Schemalägg den med ${REPORT_SCHEDULE_EXAMPLE}.`,
  [REPORT_ERRORS.uploadFailed]: ({ code }: { code: string }) =>
    code === "not_in_channel" || code === "channel_not_found"
      ? "Jag kan inte lägga upp filer här: bjud in mig till kanalen med `/invite @arendebot` och försök igen."
      : `Slack tog inte emot rapporten (${code}). Försök igen om en stund.`,

  // --- Outside any one use case (src/modules/shared) ---------------------------------------------
  [SHARED_ERRORS.registryUnavailable]: () =>
    "Diariet svarar inte just nu. Försök igen om en stund; kvarstår felet, kontakta registraturen.",
  [SHARED_ERRORS.registryBusy]: () => "Många frågar just nu, försök igen om en stund.",
  [SHARED_ERRORS.unexpected]: ({ reference }: { reference: string }) =>
    `Något gick fel hos arendebot (referens ${reference}). Försök igen om en stund; kvarstår felet, ge referensen till den som sköter arendebot.`,
} satisfies Record<ErrorCode, (params: never) => string>;

type Catalogue = typeof SV;

/** The values a code's sentence needs; `undefined` when it needs none. */
export type MessageParams<C extends ErrorCode> = Parameters<Catalogue[C]> extends [infer P] ? P : undefined;

/** A code with the values its sentence needs: what use cases return instead of Swedish text. */
export type Coded<C extends ErrorCode = ErrorCode> = C extends ErrorCode
  ? [MessageParams<C>] extends [undefined]
    ? { code: C; params?: undefined }
    : { code: C; params: MessageParams<C> }
  : never;

/** The Swedish sentence for a code and its values. */
export function say(error: Coded): string {
  const text = SV[error.code] as (params: unknown) => string;
  return text(error.params);
}
