// Interface strings. English is inline, the fallback for every missing word; every other
// language comes in per-table chunks (src/lang/<lang>-<table>.ts) that a page fetches
// only when it shows that language (loadLang / ensureLang), so a page's first load
// carries English plus the one language it needs (tests/browser/test_bundle_budget.py).
// Each player picks their own language; the card text arrives in it inside the view.
// Plurals: a message may be an object of Intl.PluralRules forms ({ one, other, ... }),
// chosen by the number in its `count` parameter (`n` unless it names another).

import type { coupleEn } from "./couple-words";

const en = {
  app_name: "Closeknit",
  tagline: "Question cards for two. Speak openly, listen closely.",
  ui_language: "Language",
  start_create: "Start a new game",
  resume_title: "Your game in progress",
  resume_room: "Back to room {room}",
  deck: "Deck",
  card_language: "Your language",
  light_mode: "Light mode (no reflecting or confirming)",
  create_room: "Create our room",
  creating: "Creating…",
  or_join: "Or join your partner",
  room_code: "Room code",
  code_hint: "The code your partner sees under “Invite”.",
  join: "Ask to join",
  joining: "Asking…",
  join_now: "Join the game",
  invited: "You're invited to play together.",
  your_name: "Your name",
  knock_waiting: "Waiting for your partner to let you in…",
  knock_declined: "Your partner did not let you in. Check the code, or ask them again.",
  knock_cancel: "Cancel",
  knock_slow: "No answer yet. Check the code with your partner, or use the invite link.",
  knock_unanswered: "Nobody answered your knock. Check the code with your partner, or use the invite link.",
  local_only_title: "This link only works on this computer",
  local_only_text:
    "It points at {host}, an address that always means the device it is opened on, so your partner's phone cannot open it. Start the server with HOST=0.0.0.0 and open Closeknit at this computer's address on your network (like http://192.168.1.20:8000), or set PUBLIC_URL to that address.",
  cue_your_turn: "● Your turn · Closeknit",
  admit_prompt: "Someone wants to join your room as your partner.",
  admit_named: "{name} wants to join your room as your partner.",
  admit: "Let them in",
  decline: "Decline",
  invite: "Invite your partner",
  invite_short: "Invite",
  invite_text: "Send this link to your partner, or let them scan the code. With the link they join at once.",
  invite_text_code:
    "Send this link to your partner, or let them scan the code. It opens the join page with your room code; then you let them in.",
  invite_code_text: "Or they open this page and type the room code; then you let them in.",
  invite_link: "Invite link",
  copy: "Copy link",
  copied: "Copied",
  share: "Share",
  close: "Close",
  qr_label: "QR code of the invite link",
  lobby_title: "Before you start",
  you_label: "You",
  partner_label: "Your partner",
  not_joined: "not here yet",
  is_ready: "ready",
  not_ready: "not ready yet",
  save_name: "Save name",
  boundaries: "Your private boundaries",
  boundaries_explain:
    "Tick topics you'd rather not get cards about tonight. Your partner never sees which ones you chose, and cards simply won't come up. You can change this at any time.",
  ready: "I'm ready",
  unready: "Not ready yet",
  choose_deck: "Use this deck",
  set_light_mode: "Light mode",
  light_on: "Light mode: on",
  light_off: "Light mode: off",
  set_apart: "Apart tonight",
  apart_label: "Apart tonight (we're on a call: no cards that need touch)",
  apart_on: "Apart tonight: cards that need touch are left out, for both of you.",
  level_of: "Level {n} of {total}: {name}",
  cards_done: { one: "{n} card completed", other: "{n} cards completed" },
  you_speak: "You are speaking. {name} is listening.",
  you_listen: "{name} is speaking. You are listening.",
  you_draw: "It's your turn to draw a card.",
  partner_draws: "{name} draws the next card.",
  both_write: "You both write privately. Nothing is shown until you have both sent.",
  phase_shown_speaker: "Will you answer this card?",
  phase_shown_listener: "{name} decides whether to answer.",
  phase_speaking_listener: "Listen without interrupting. You can send a quiet reaction.",
  phase_reflecting_listener: "Tell {name} what you heard: “What I heard is…”",
  phase_reflecting_speaker: "{name} is telling you what they heard.",
  phase_confirming_speaker: "Did you feel heard?",
  phase_confirming_listener: "{name} is saying whether they felt heard.",
  half_two: "Second half: now the other partner answers.",
  card_both: "You both answer this one, in turn.",
  card_action: "Something to do together.",
  card_reveal: "Reveal card",
  closing_card: "Closing card",
  follow_ups: "You could also ask",
  draw: "Draw a card",
  answer: "I'll answer",
  pass: "Pass",
  avoid_topic: "Also avoid this topic from now on",
  skip: "Skip (doesn't fit us)",
  done_speaking: "I'm done speaking",
  your_answer: "Your answer, if you're typing (optional)",
  type_instead: "Type instead",
  reflect: "Done reflecting",
  your_reflection: "What you heard, if you're typing (optional)",
  felt_heard: "I felt heard",
  try_again: "Try again",
  their_answer: "{name} wrote:",
  their_reflection: "{name} heard:",
  write_reveal: "Send my answer",
  update_reveal: "Update my answer",
  reveal_text: "Your private answer",
  reveal_sent: "Sent. You can still edit until you've both sent.",
  reveal_partner_sent: "{name} has sent their answer.",
  reveal_partner_writing: "{name} hasn't sent yet.",
  revealed: "Both answers",
  react_heart: "Send a heart",
  react_me_too: "Me too",
  reaction_heart: "{name} sent a heart",
  reaction_me_too: "{name}: me too",
  reaction_mine_heart: "You sent a heart",
  reaction_mine_me_too: "You said: me too",
  star: "Star this card",
  star_last: "Star the last card",
  starred_n: "starred card {n}",
  unstar: "Remove star",
  stars: "Starred to revisit",
  propose_deeper: "Propose going deeper",
  accept_deeper: "Yes, let's go deeper",
  decline_deeper: "Not now",
  withdraw_proposal: "Withdraw my proposal",
  proposal_mine: "You proposed going deeper to {level}. Waiting for {name}.",
  proposal_theirs: "{name} would like to go deeper, to {level}. Would you like that too?",
  step_back: "Step back to {level}",
  step_back_title: "Lighter levels",
  pause: "Pause",
  resume: "Resume",
  end: "End the game",
  skip_closing: "Skip to the summary",
  play_again: "Play again",
  delete_room: "Delete our room now",
  delete_confirm: "Delete the room and everything in it for both of you, now?",
  deleted: "Your room is deleted. Nothing of it is kept.",
  new_game: "Start a new game",
  paused_title: "Taking a moment",
  paused_me: "You paused the game. Take all the time you need.",
  paused_partner: "{name} paused the game. Take a breath; the game waits here.",
  paused_both: "You both paused. The game continues when you have both resumed.",
  paused_host: "The host paused all tables for a moment.",
  partner_away: "{name}'s connection dropped. No rush: the game waits for them.",
  partner_back: "{name} is back.",
  writing: "{name} is writing…",
  reconnecting: "Connection lost. Reconnecting…",
  reconnected: "Connected again.",
  draft_hint: "Only sent when you press the button; until then it stays on this device, in this tab.",
  draft_note: "Unsent text stays here while we reconnect, even if you reload the page.",
  sending: "Sending…",
  notice_passed: "Passed.",
  notice_skipped: "Skipped. Same speaker draws again.",
  notice_reveal_passed: "This card was passed.",
  notice_staying: "Staying here for now.",
  notice_level_raised: "You went deeper together.",
  notice_stepped_back: "Stepped back to a lighter level.",
  notice_withdrawn: "The proposal was withdrawn.",
  notice_level_capped: "The host capped the depth; back to a lighter level.",
  notice_time_for_new_card: "Time for a new card.",
  exhausted: "No cards left on this level. You could go deeper, step back, or end.",
  new_card_due: "Time for a new card.",
  summary_title: "Your evening together",
  summary_cards: { one: "{n} card completed", other: "{n} cards completed" },
  summary_time: "Time together: {min} min",
  summary_level: "{name}: {n}",
  summary_none_starred: "No starred cards.",
  ended_text: "Thank you for playing. Nothing you typed is kept.",
  error_generic: "That didn't work. Please try again.",
  safety_admit: "Safety code {code}: their phone shows the same once you let them in.",
  p_safety: "Safety code, the same on {name}'s phone:",
  safety_code: "Compare this safety code with {name}, aloud. The same on both phones: nobody in between holds your room's key.",
  sealed_for_partner: "This answer is sealed for your partner's devices.",
  sealed_need_key: "This phone doesn't hold your room's key yet, so typed answers stay sealed here. Ask {name} to open Menu → Invite, then scan the code or open the link on this phone.",
  sealed_no_key: "Not sent: this device doesn't hold your room's key yet.",
  room_gone: "This room no longer exists, or the link is not valid.",
  invite_invalid: "This invite link is not valid any more. Ask your partner for a new one.",
  seat_replaced: "This game was opened in another tab or on another device.",
  version_mismatch: "Please reload the page: the app was updated.",
  load_failed: "Could not reach the server. Check your connection and try again.",
  open_here: "Open here again",
  connection: "Connection",
  connecting: "Connecting…",
  menu: "Menu",
  menu_title: "More",
  mark_tagline: "cards for two",
  boundaries_short: "Off-limits topics",
  boundaries_none: "No topics off-limits",
  boundaries_n: { one: "{n} topic off-limits", other: "{n} topics off-limits" },
  boundaries_private: "Only you see this.",
  more_cards_n: { one: "{n} more card before you can go deeper", other: "{n} more cards before you can go deeper" },
  wait_after_decline_hint: "One more card, then you can propose going deeper again",
  proposal_waiting: "You proposed going deeper. Waiting for {name} to answer.",
  proposal_answer_first: "{name} proposed going deeper. Your answer comes before the next card.",
  no_cards_left: "No cards left on this level.",
  waiting_for: "Waiting for {name}…",
  waiting_partner_join: "Waiting for your partner to join",
  both_ready_soon: "The game starts when you are both ready.",
  you_ready_wait: "You're ready. Waiting for {name}.",
  talk_title: "Talk about it",
  talk_hint: "Both answers are in. Take a moment with them before the next card.",
  talked: "We talked",
  draw_next: "Draw the next card",
  deeper_title: "Deeper together",
  deeper_now: "You are now at {level}.",
  your_turn_draw: "Your card to draw",
  partner_turn_draw: "{name}'s card to draw",
  summary_per_level: "Cards per level",
  summary_starred_title: "Cards you starred",
  lobby_settings: "You and the game",
  who_speaks: "{name} speaks",
  you_speak_short: "You speak",
  level_short: "{name} · level {n} of {total}",
  deck_language: "Deck and language",
  star_on: "Starred",
  settings: "Settings",
  react_sent: "Sent",
  // --- the party pages (src/party): the console, the big screen, a guest's phone ----
  p_party_title: "Closeknit party",
  p_tagline: "Many couples, each at their own table.",
  p_party_code_title: "Party {code}",
  p_join_a_party: "Join a party",
  p_host_a_party: "Host a party",
  p_party_code: "Party code",
  p_join: "Join",
  p_deck: "Deck",
  p_create_party: "Create the party",
  p_create_failed: "Could not create a party. Please try again.",
  p_connecting: "Connecting…",
  p_connecting_slow: "Connecting… this can take a moment on a weak network.",
  p_opening: "Opening the party…",
  p_joining: "Joining the party…",
  p_reconnecting: "Reconnecting…",
  p_try_again: "Try again",
  p_cancel: "Cancel",
  p_how_to_join: "How to join",
  p_join_with_phone: "Join with your phone",
  p_qr_label: "QR code to join party {code}",
  p_not_taking_guests: "This party is not taking new guests",
  p_locked_body: "Everyone who is here has a place. Enjoy your table.",
  p_ended_title: "The party has ended",
  p_ended_body: "Thank you for coming. Nothing anyone typed is kept.",
  p_party_ended_dot: "The party has ended.",
  p_paused_title: "All tables are taking a pause",
  p_paused_body: "Put the phones down for a moment. The host will carry on soon.",
  p_round_n: "Round {n}",
  p_round_left: "Time left in round {n}",
  p_round_explain: "When the time is up, each table finishes its card, then takes a new one.",
  p_round_over: "Round {n} is over",
  p_rounds_on: "Timed rounds are on",
  p_guests_n: { one: "{n} guest", other: "{n} guests" },
  p_tables_n: { one: "{n} table", other: "{n} tables" },
  p_cards_n: { one: "{n} card shared", other: "{n} cards shared" },
  p_any_depth: "Any depth",
  p_cap_line: "Deepest level: {n} of {total}",
  p_tables_label: "The tables",
  p_table_n: "Table {n}",
  p_level_n: "Level {n}",
  p_needs_moment: "needs a moment",
  p_a_moment: "a moment",
  p_marks_legend: "Each mark is a table: its dots, how deep it has gone; its number, the cards it has shared.",
  p_no_tables_yet: "No tables yet: as couples pair up, their tables appear here.",
  p_display_closed: "The big screen is closed",
  p_console_closed: "Party console closed",
  p_stop_replaced: "The host role moved to someone else, or this console was opened elsewhere.",
  p_stop_handed_to: "You handed the host role to {name}. Thank you for hosting.",
  p_stop_handed: "You handed the host role to a co-host.",
  p_link_spent: "This link no longer opens the party.",
  p_deck_refused: "The deck was refused: {why}",
  p_deck_line: " (line {n})",
  p_locked_note: "The room is locked: nobody new can join. Unlock it to let guests in.",
  p_all_paused: "all tables paused",
  p_host_controls: "Host controls",
  p_open_display: "Open the big screen",
  p_display_hint: "for a TV or a projector everyone can see",
  p_group_pace: "Pace",
  p_group_pace_hint: "Pause every table at once, or give the room timed rounds.",
  p_group_depth: "Depth",
  p_group_depth_hint: "Which cards are dealt, and how deep the tables may go.",
  p_group_people: "People",
  p_group_people_hint: "Who sits with whom, and whether new guests may come in.",
  p_group_end: "The end",
  p_group_end_hint: "Closes every table for everyone. It cannot be undone.",
  p_resume_all: "Resume all tables",
  p_pause_all: "Pause all tables",
  p_lock: "Lock the room",
  p_unlock: "Unlock the room",
  p_end_party: "End the party",
  p_uploaded_deck: "Your uploaded deck",
  p_upload_deck: "Upload a deck",
  p_deepest_allowed: "Deepest level allowed",
  p_mixer: "Mixer: I pair the guests",
  p_mix: "Pair waiting guests at random",
  p_remix: "Re-pair everyone",
  p_first_guest: "First guest",
  p_second_guest: "Second guest",
  p_pair_by_hand: "Pair by hand",
  p_pair: "Pair",
  p_rounds_seconds: "Timed rounds (seconds)",
  p_start_round: "Start a round",
  p_rounds_off: "Rounds off",
  p_tables_count: "Tables ({n})",
  p_guests_count: "Guests ({n})",
  p_no_guests_yet: "Nobody has joined yet: show them the code.",
  p_waiting_n: "Not at a table yet: {n}",
  p_stage_ended: "finished",
  p_stage_lobby: "sitting down",
  p_done_n: "{n} done",
  p_make_host: "Make host",
  p_is_host: "Hosting now",
  p_remove: "Remove",
  p_where_looking: "looking for a partner",
  p_where_waiting: "waiting",
  p_where_with: "at a table with {name}",
  p_where_table: "at a table",
  p_confirm_end: "End the party for everyone? Every table closes, and nothing anyone typed is kept.",
  p_confirm_remove_table: "Remove {name} from the party? Their table closes, and their partner is paired with someone new.",
  p_confirm_remove: "Remove {name} from the party?",
  p_remove_name: "Remove {name}",
  p_confirm_hand: "Hand the host role to {name}? This console closes, and {name} can open it on their phone.",
  p_make_name_host: "Make {name} the host",
  p_enter_name: "Please enter your name.",
  p_thanks_playing: "Thank you for playing.",
  p_thanks_coming: "Thank you for coming.",
  p_hello: "Hello, {name}",
  p_taking_seat: "Your partner: {name}. Taking your seat…",
  p_removed_title: "You are no longer at this party",
  p_removed_body: "The host has removed you from this party. If that was a mistake, have a word with the host.",
  p_join_as_new: "Join again as a new guest",
  p_left_title: "You left the party",
  p_full_title: "This party is full",
  p_could_not_join: "We could not join the party",
  p_not_found_title: "We could not find this party",
  p_not_found_body: "There is no party with the code {code}, or this link no longer works. Check the code with the host.",
  p_join_this: "Join this party",
  p_confirm_leave_table: "Leave this table? {name} will be paired with someone new.",
  p_confirm_leave_table_anon: "Leave this table? Your partner will be paired with someone new.",
  p_confirm_leave_party: "Leave the party? You can join again later as a new guest.",
  p_leave_the_table: "Leave the table",
  p_leave_party: "Leave the party",
  p_leave_table: "Leave this table",
  p_stay: "Stay",
  p_with: "with {name}",
  p_open_console: "Open the host console",
  p_partner_left: "Your partner has left the table. We will find you someone new.",
  p_looking: "Looking for a partner… you will be paired when someone arrives.",
  p_mixer_wait: "The host will pair you with someone soon.",
  p_your_pair_code: "Your pair code:",
  p_partner_enters: "Your partner enters it on their phone.",
  p_make_code: "Get a pair code for my partner",
  p_partner_has_code: "My partner has a code",
  p_pair_with_code: "Pair",
  p_find_partner: "Find me a partner",
  p_join_party_code: "Join party {code}",
} as const;

export type Key = keyof typeof en | keyof typeof coupleEn;

// Error codes from the server, in words. Unknown codes get the generic sentence.
const errEn: Record<string, string> = {
  "turn/not_yours": "It's not your turn for that right now.",
  "turn/wrong_phase": "That isn't possible at this moment of the card.",
  "turn/listener_only": "Only the listener can do that.",
  "card/none_left": "No cards left on this level.",
  "card/not_on_table": "That card is no longer on the table.",
  "card/already_submitted": "You've already sent that.",
  "card/new_card_due": "Time for a new card first.",
  "level/needs_consent": "Going deeper needs you both to agree.",
  "level/no_deeper": "There is no deeper level.",
  "level/above_cap": "The host has capped the depth here.",
  "level/too_soon": "A few more cards on this level first.",
  "level/already_proposed": "There is already a proposal waiting.",
  "level/no_proposal": "There is no proposal any more.",
  "level/own_proposal": "Your partner answers your proposal, not you.",
  "level/not_lighter": "You can only step back to a lighter level.",
  "level/wait_after_decline": "Play one more card before proposing again.",
  "game/paused": "The game is paused.",
  "game/host_paused": "The host paused all tables.",
  "game/not_paused": "The game isn't paused.",
  "game/ended": "This game has ended.",
  "game/not_ended": "The game hasn't ended yet.",
  "text/too_long": "That text is too long.",
  "text/not_sealed": "This room takes sealed texts only; please reload the page.",
  "text/invalid": "That text contains characters that can't be sent.",
  "name/invalid": "Please use a name of 1 to 40 characters.",
  "limit/rate_limited": "Slow down a little, please, and try again in a moment.",
  "lobby/not_in_lobby": "That is only possible before the game starts.",
  "lobby/not_ready": "You both need to be here and ready first.",
  "lobby/unknown_deck": "That deck isn't available on this server.",
  "lobby/unknown_language": "This deck doesn't come in that language.",
  "boundary/unknown_tag": "This deck has no such topic.",
  "star/nothing": "There is no card to star yet.",
  "action/unknown": "This app and the server disagree; please reload the page.",
  "action/invalid": "This app and the server disagree; please reload the page.",
  "request/invalid": "Something in the form wasn't accepted. Please check it and try again.",
  "room/gone": "This room no longer exists.",
  "store/unavailable": "The server can't reach its storage right now. Please try again shortly.",
  "store/busy": "A lot is happening at once. Please try again.",
  "store/full": "The server's storage is full, so nothing was saved. Please try again later.",
  "store/format": "The server is being updated. Please try again in a moment.",
  "server/shutting_down": "The server is restarting. We'll reconnect by ourselves.",
  "server/internal": "Something went wrong on the server. Please try again.",
  "create/played_too_many": "This device remembers more cards than a new room takes. Forget this device, or start without remembering.",
  "create/played_bad_id": "What this device remembers looks damaged. Forget this device and try again.",
  "deck/too_large": "That deck file is over 64 KiB. Make it smaller and try again.",
  "deck/too_many_cards": "A deck of your own has at most 200 cards.",
  "deck/invalid": "That file isn’t a valid deck yet.",
  "deck/none": "There is no deck of your own in this room.",
  "deck/already_added": "This room already has a deck of your own. Remove it first.",
  "deck/already_accepted": "You’re already playing this deck.",
  "deck/added_by_you": "Your partner accepts the deck you added.",
};

export type Lang = "en" | "de" | "es";
export const UI_LANGS: readonly Lang[] = ["en", "de", "es"];

/** A sentence, or its plural forms by Intl.PluralRules category (`other` always). */
export type Message = string | (Partial<Record<Intl.LDMLPluralRule, string>> & { other: string; count?: string });
export type Words = Record<string, Message>;
/** Fetches one table's words in one language: a dynamic import of src/lang/<lang>-<table>.ts. */
export type Loader = () => Promise<{ default: Words }>;
interface Table {
  readonly name: string;
  readonly en: Words;
  readonly load: Record<Exclude<Lang, "en">, Loader>;
}

const tables: Table[] = [];
const words: Record<Lang, Words> = { en: {}, de: {}, es: {} };
const fetching = new Map<string, Promise<void>>(); // "table:lang" -> its load
const loaded = new Set<string>();
const failed = new Set<Lang>(); // could not be fetched (offline): English stands in

/** Registers a words table: its English inline, every other language as a chunk
 * (`{ de: () => import("./lang/de-x"), es: () => import("./lang/es-x") }`). The
 * compiler insists on a loader for each language of `Lang`; tests/server/
 * test_words_complete.py checks each has every key. */
export function addWords(name: string, en: Words, load: Table["load"]): void {
  if (tables.some((t) => t.name === name)) return;
  tables.push({ name, en, load });
  Object.assign(words.en, en);
}

/** Every registered table in every language (the completeness test's export). */
export async function allWords(): Promise<Record<string, Record<string, Words>>> {
  const out: Record<string, Record<string, Words>> = {};
  for (const t of tables) {
    out[t.name] = { en: t.en };
    for (const lang of UI_LANGS) if (lang !== "en") out[t.name][lang] = (await t.load[lang]()).default;
  }
  return out;
}

function ready(lang: Lang): boolean {
  return lang === "en" || failed.has(lang) || tables.every((t) => loaded.has(`${t.name}:${lang}`));
}

/** Fetches every registered table's words in ``lang`` not fetched yet. */
export function loadLang(lang: Lang): Promise<void> {
  if (lang === "en") return Promise.resolve();
  return Promise.all(tables.map((t) => {
    const id = `${t.name}:${lang}`;
    let p = fetching.get(id);
    if (!p) {
      p = t.load[lang]().then((m) => {
        Object.assign(words[lang], m.default);
        loaded.add(id);
      }, () => {
        fetching.delete(id); // tried again on the next render
        failed.add(lang);
      });
      fetching.set(id, p);
    }
    return p;
  })).then(() => undefined);
}

/** True when ``lang``'s words are here; else starts fetching them and calls ``then``
 * once they are (the page renders again), so no key and no other language flashes. */
export function ensureLang(lang: Lang, then: () => void): boolean {
  if (ready(lang)) return true;
  void loadLang(lang).then(then);
  return false;
}

export function pickLang(code: string | null | undefined): Lang {
  const base = (code ?? "").toLowerCase().slice(0, 2);
  return (UI_LANGS as readonly string[]).includes(base) ? (base as Lang) : "en";
}

/** A language's name in itself ("English", "Deutsch", "español"), or in ``inLang``.
 * A browser without Intl.DisplayNames (before Safari 14.1) shows the code. */
export function langName(code: string, inLang: string = code): string {
  try {
    return new Intl.DisplayNames([inLang], { type: "language" }).of(code) ?? code;
  } catch {
    return code.toUpperCase();
  }
}

const rules = new Map<Lang, Intl.PluralRules>();

function said(m: Message, lang: Lang, params?: Record<string, string | number>): string {
  if (typeof m === "string") return m;
  let r = rules.get(lang);
  if (!r) rules.set(lang, (r = new Intl.PluralRules(lang)));
  return m[r.select(Number(params?.[m.count ?? "n"] ?? 0))] ?? m.other;
}

/** One word in ``lang``, English where it has none; undefined for an unknown key. */
export function word(lang: Lang, key: string, params?: Record<string, string | number>): string | undefined {
  const own = words[lang][key];
  const m = own ?? words.en[key];
  if (m === undefined) return undefined;
  let s = said(m, own === undefined ? "en" : lang, params);
  if (params) for (const [k, v] of Object.entries(params)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

export type T = (key: Key, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): T {
  return (key, params) => word(lang, key, params) ?? key;
}

export function errorText(lang: Lang, code: string, fallback: string): string {
  return word(lang, code) ?? fallback;
}

/** A table of codes' words under a prefix, so two tables' codes never meet. */
export function keyed(prefix: string, table: Record<string, string>): Words {
  return Object.fromEntries(Object.entries(table).map(([k, v]) => [prefix + k, v]));
}

addWords("core", en, { de: () => import("./lang/de-core"), es: () => import("./lang/es-core") });
addWords("errors", errEn, { de: () => import("./lang/de-errors"), es: () => import("./lang/es-errors") });
