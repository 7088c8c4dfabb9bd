// The deck picker's words (issue 21), in English and German; i18n.ts spreads them in.

export const pickerEn = {
  deck_option: "{title} · {cards} cards · {minutes} min",
  deck_about: "About this deck",
  deck_age_all: "For everyone",
  deck_age_12: "12 and over",
  deck_age_16: "16 and over",
  deck_age_18: "Adults only (18+)",
  deck_cards_levels: "{cards} cards on {levels} levels",
  deck_cards_level: "{cards} cards on 1 level",
  deck_minutes: "About {minutes} min a game",
  deck_hours: "About {hours} h {minutes} min a game",
  deck_languages: "In {languages}",
  deck_levels_path: "Levels: {path}",
  deck_time_hint: "A game goes through every level at an easy pace, to the closing card.",
} as const;

export const pickerDe: Partial<Record<keyof typeof pickerEn, string>> = {
  deck_option: "{title} · {cards} Karten · {minutes} Min.",
  deck_about: "Über dieses Kartenset",
  deck_age_all: "Für alle",
  deck_age_12: "Ab 12",
  deck_age_16: "Ab 16",
  deck_age_18: "Nur für Erwachsene (18+)",
  deck_cards_levels: "{cards} Karten auf {levels} Stufen",
  deck_cards_level: "{cards} Karten auf 1 Stufe",
  deck_minutes: "Etwa {minutes} Min. pro Spiel",
  deck_hours: "Etwa {hours} Std. {minutes} Min. pro Spiel",
  deck_languages: "Auf {languages}",
  deck_levels_path: "Stufen: {path}",
  deck_time_hint: "Ein Spiel geht in ruhigem Tempo durch alle Stufen, bis zur Abschlusskarte.",
};
