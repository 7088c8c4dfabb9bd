// The daily space's words (issue 22, "A card a day"), loaded with the daily chunk only and
// added to the catalogue (src/i18n.ts). English inline, German and Spanish as their own
// chunks (src/lang/de-daily.ts, src/lang/es-daily.ts). The few words the start screen
// shows before this chunk loads are in src/couple-words.ts (day_offer, ...).
// Calm, kind, no counting and no guilt: nothing here ever says how many days.

import { addWords, type T } from "../i18n";

export const dailyEn = {
  day_title: "A card a day",
  day_invite_title: "Invite your partner to your daily space",
  day_first_card: "Your first card appears once your partner has joined.",
  day_today: "Today’s card",
  day_from: "The card from {date}",
  day_your_answer: "Your answer",
  day_answer_hint: "Only you can see it until you both have answered.",
  day_send: "Share my answer",
  day_sending: "Sending…",
  day_sent: "Your answer is in. You can change it until your partner has answered too.",
  day_edit: "Change my answer",
  day_save_edit: "Save the change",
  day_pass: "Pass today",
  day_passed_me: "You passed today. That’s completely fine.",
  day_answer_instead: "Answer after all",
  day_partner_open: "{name} hasn’t answered yet.",
  day_partner_answered: "{name} has answered.",
  day_partner_passed: "{name} passed today.",
  day_partner: "Your partner",
  day_reveal_title: "Your answers",
  day_passed_label: "Passed today",
  day_kept_until: "Kept until {date}, then deleted.",
  day_heart: "A heart for this card",
  day_partner_heart: "{name} gave this card a heart",
  day_tonight: "Let’s talk about this tonight",
  day_tonight_opening: "Opening a room for this card…",
  day_tonight_join: "{name} would like to talk about this card tonight.",
  day_join: "Join",
  day_tonight_back: "Open our room for tonight",
  day_back: "Back to our daily space",
  day_next_both: "Your next card comes once you both have answered.",
  day_next_tomorrow: "Your next card comes tomorrow.",
  day_next_from: "Your next card comes tomorrow, from {time}.",
  day_deck_done: "You have seen every card of this deck that suits you both. Thank you for the days you shared.",
  day_deeper_offer: "Would you like to go a little deeper?",
  day_deeper_waiting: "You suggested going deeper. {name} decides when it suits them.",
  day_deeper_asked: "{name} would like to go a little deeper.",
  day_deeper_yes: "Yes, let’s go deeper",
  day_deeper_no: "Not now",
  day_deeper_propose: "Suggest going deeper",
  day_step_back: "Step back to {level}",
  day_earlier: "Earlier days",
  day_menu: "Menu",
  day_time_title: "Your day",
  day_tz: "Time zone",
  day_start: "A new day starts at",
  day_start_hint: "So an answer written after midnight still belongs to the evening before.",
  day_time_both: "This changes the day for you both.",
  day_save: "Save",
  day_ends: "If neither of you answers, this space is deleted on {date}.",
  day_delete: "Delete this space now",
  day_delete_confirm: "Delete this space and every answer in it, for both of you, now? This can’t be undone.",
  day_delete_yes: "Yes, delete it now",
  day_keep: "Keep it",
  day_deleted: "Your daily space is deleted. Nothing of it is kept.",
  day_unreadable: "This answer can’t be opened on this device.",
  day_no_key: "This device doesn’t have your space’s key any more. Open your invite link again to read and write here.",
  day_cue_title: "{name} has answered · Closeknit",
  day_cue_reveal: "Your answers are here · Closeknit",
  day_push_on: "Let me know on this device when there’s something new",
  day_push_off: "Stop letting me know on this device",
  day_push_hint: "The message only says “Something new in Closeknit”: never the question, never an answer.",
  day_push_denied: "This browser doesn’t allow notifications for this page. You can allow them in its settings.",
  day_cancel_edit: "Keep my answer as it is",
  "daily/revealed": "Your answers are already shown, so this card can’t be changed any more.",
  "daily/bad_day_start": "Please choose an hour between 0 and 23.",
  "push/off": "This server doesn’t send notifications.",
  "daily/ended": "This daily space has ended.",
  "daily/no_card": "There’s no card to answer right now.",
  "daily/unknown_day": "That day isn’t kept any more.",
  "daily/bad_room": "That room for tonight couldn’t be linked. Please try again.",
  "daily/seat_taken": "Both places in this space are taken. Are you the one who started it, or the one who was invited?",
  "push/invalid": "This browser’s notification address can’t be used here.",
};

export type DayKey = keyof typeof dailyEn;

addWords("daily", dailyEn, { de: () => import("../lang/de-daily"), es: () => import("../lang/es-daily") });

/** A daily word in the page's language. */
export function w(t: T, key: DayKey, params?: Record<string, string | number>): string {
  return t(key as never, params);
}
