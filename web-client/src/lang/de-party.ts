// German for the party codes' words (src/party/words.ts), its own chunk.

import { keyed } from "../i18n";

const words: Record<string, string> = {
  "party/not_host": "Das kann nur der Gastgeber.",
  "party/not_guest": "Das können nur Gäste.",
  "party/locked": "Diese Party nimmt gerade keine neuen Gäste auf. Bitte den Gastgeber, die Tür zu öffnen, und versuch es dann noch einmal.",
  "party/full": "Diese Party ist voll. Frag den Gastgeber, ob ein Platz frei wird.",
  "party/ended": "Diese Party ist zu Ende.",
  "party/unknown_guest": "Dieser Gast ist nicht mehr auf der Party.",
  "party/unknown_pair_code": "Zu diesem Paar-Code wartet niemand. Prüft ihn gemeinsam.",
  "party/already_paired": "Schon an einem Tisch.",
  "party/same_guest": "Das ist dein eigener Code: dein Gegenüber gibt ihn auf seinem Handy ein.",
  "party/mixer_host_pairs": "Heute bildet der Gastgeber die Paare: du wirst gleich zugeteilt.",
  "party/nobody_to_pair": "Noch wartet niemand darauf, zugeteilt zu werden.",
  "party/round_running": "Gerade läuft eine Runde: das geht, wenn sie vorbei ist.",
  "party/rounds_off": "Schalte zuerst die Runden mit Zeit ein.",
  "party/bad_cap": "Diese Stufe gibt es in diesem Deck nicht.",
  "party/bad_value": "Eine Runde dauert 10 Sekunden bis 3 Stunden.",
  "party/not_paused": "Die Tische sind nicht angehalten.",
  "party/already_paused": "Die Tische sind schon angehalten.",
  "party/is_host": "Du bist der Gastgeber: gib die Rolle erst jemand anderem, bevor du gehst.",
  "party/nothing_due": "Noch ist nichts fällig.",
  "party/no_table": "Du sitzt gerade an keinem Tisch.",
  "party/removed": "Der Gastgeber hat dich von dieser Party genommen.",
  "party/left": "Du hast diese Party verlassen.",
  "join/failed": "Wir finden diese Party nicht, oder dieser Link gilt nicht mehr. Prüf den Code mit dem Gastgeber.",
  "limit/rate_limited": "Zu viele Versuche in kurzer Zeit. Warte eine Minute und versuch es dann noch einmal.",
  "room/gone": "Diese Party gibt es nicht mehr.",
  "lobby/unknown_deck": "Dieses Deck gibt es hier nicht.",
  "deck/invalid": "Die Deck-Datei hat Fehler.",
  "deck/too_large": "Die Deck-Datei ist zu groß (höchstens 1 MiB).",
  "net/closed": "Gerade nicht verbunden: wir verbinden neu, dann bitte noch einmal.",
  "net/timeout": "Keine Antwort vom Server: wir verbinden neu, dann bitte noch einmal.",
};

const toHost: Record<string, string> = {
  "party/same_guest": "Wähle zwei verschiedene Gäste.",
  "party/already_paired": "Eine der beiden Personen sitzt schon an einem Tisch.",
  "party/is_host": "Dieser Gast ist Gastgeber: gib die Rolle zuerst jemand anderem.",
  "party/nobody_to_pair": "Mindestens zwei Gäste müssen warten, damit du sie zuteilen kannst.",
};

const fallback = "Etwas ist schiefgegangen. Bitte noch einmal versuchen oder die Seite neu laden.";

export default { ...keyed("party:", words), ...keyed("party-host:", toHost), "party:fallback": fallback };
