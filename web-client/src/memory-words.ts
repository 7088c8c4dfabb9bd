// The words of "memory without accounts" (issue 21), in English and German; i18n.ts
// spreads them into its catalogue.

export const memoryEn = {
  remember_label: "Remember our cards on this device",
  remember_hint: "Off by default. Then this browser keeps which cards you played, skipped and starred, so next time new ones come first. Never anything you type.",
  memory_open: "What this device remembers",
  memory_title: "What this device remembers",
  memory_nothing: "This device remembers nothing.",
  memory_off_kept: "Remembering is off: nothing new is kept, and nothing is sent with a new room.",
  memory_on: "This device remembers which cards you played.",
  memory_promise: "Only this browser on this device keeps it: which cards you played, which didn’t fit you, and which you starred. Never anything you typed, never your boundaries. Nothing of it is stored on the server.",
  memory_sent: "When you start a new room on a deck, this device tells it which cards you already played, so new ones come first. The room forgets that when it ends.",
  memory_deck_line: "{title}: {played} played, {skipped} didn’t fit you, {starred} starred.",
  memory_starred_title: "Cards you starred",
  memory_export_text: "Save starred cards as text",
  memory_export_json: "Save starred cards as a file to import",
  memory_import: "Import starred cards",
  memory_import_hint: "A file saved with “Save starred cards as a file to import” on another device. Importing turns remembering on here.",
  memory_imported: "Added {n} starred cards.",
  memory_imported_one: "Added 1 starred card.",
  memory_import_bad: "That file isn’t a file of starred cards from Closeknit.",
  memory_forget: "Forget this device",
  memory_forget_confirm: "Forget every card this device remembers, and every game in progress it could go back to?",
  memory_forgotten: "Done: this device remembers nothing now.",
  memory_export_heading: "Closeknit: cards we starred",
  played_through_level: "You’ve played every card of this level before on this device. They come round again now, or go deeper for new ones.",
  played_through_deck: "You’ve played this whole deck on this device. The cards come round again now: new answers are welcome.",
} as const;

export const memoryDe: Partial<Record<keyof typeof memoryEn, string>> = {
  remember_label: "Unsere Karten auf diesem Gerät merken",
  remember_hint: "Zuerst aus. Dann merkt sich dieser Browser, welche Karten ihr gespielt, übersprungen und gemerkt habt, damit beim nächsten Mal neue zuerst kommen. Nie etwas, das ihr schreibt.",
  memory_open: "Was sich dieses Gerät merkt",
  memory_title: "Was sich dieses Gerät merkt",
  memory_nothing: "Dieses Gerät merkt sich nichts.",
  memory_off_kept: "Merken ist aus: Nichts Neues wird behalten und nichts mit einem neuen Raum gesendet.",
  memory_on: "Dieses Gerät merkt sich, welche Karten ihr gespielt habt.",
  memory_promise: "Nur dieser Browser auf diesem Gerät behält es: welche Karten ihr gespielt habt, welche nicht zu euch passten und welche ihr gemerkt habt. Nie etwas, das ihr geschrieben habt, nie eure Grenzen. Nichts davon wird auf dem Server gespeichert.",
  memory_sent: "Startet ihr einen neuen Raum mit einem Kartenset, sagt dieses Gerät ihm, welche Karten ihr schon gespielt habt, damit neue zuerst kommen. Der Raum vergisst das, wenn er endet.",
  memory_deck_line: "{title}: {played} gespielt, {skipped} passten nicht, {starred} gemerkt.",
  memory_starred_title: "Karten, die ihr gemerkt habt",
  memory_export_text: "Gemerkte Karten als Text speichern",
  memory_export_json: "Gemerkte Karten als Datei zum Importieren speichern",
  memory_import: "Gemerkte Karten importieren",
  memory_import_hint: "Eine Datei, die auf einem anderen Gerät mit „Gemerkte Karten als Datei zum Importieren speichern“ gesichert wurde. Importieren schaltet das Merken hier ein.",
  memory_imported: "{n} gemerkte Karten hinzugefügt.",
  memory_imported_one: "1 gemerkte Karte hinzugefügt.",
  memory_import_bad: "Diese Datei ist keine Datei mit gemerkten Karten aus Closeknit.",
  memory_forget: "Dieses Gerät vergessen lassen",
  memory_forget_confirm: "Alle Karten vergessen, die sich dieses Gerät merkt, und jedes laufende Spiel, zu dem es zurückkehren könnte?",
  memory_forgotten: "Erledigt: Dieses Gerät merkt sich jetzt nichts mehr.",
  memory_export_heading: "Closeknit: Karten, die wir gemerkt haben",
  played_through_level: "Ihr habt jede Karte dieser Stufe auf diesem Gerät schon gespielt. Sie kommen jetzt wieder, oder geht tiefer für neue.",
  played_through_deck: "Ihr habt das ganze Kartenset auf diesem Gerät gespielt. Die Karten kommen jetzt wieder: neue Antworten sind willkommen.",
};

export const memoryErrEn: Record<string, string> = {
  "create/played_too_many": "This device remembers more cards than a new room takes. Forget this device, or start without remembering.",
  "create/played_bad_id": "What this device remembers looks damaged. Forget this device and try again.",
};

export const memoryErrDe: Record<string, string> = {
  "create/played_too_many": "Dieses Gerät merkt sich mehr Karten, als ein neuer Raum annimmt. Lass es vergessen oder startet ohne Merken.",
  "create/played_bad_id": "Was sich dieses Gerät merkt, scheint beschädigt. Lass es vergessen und versucht es noch einmal.",
};
