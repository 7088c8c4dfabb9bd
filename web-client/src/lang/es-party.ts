// Spanish for the party codes' words (src/party/words.ts), its own chunk: `words` for
// a guest, `toHost` where the host needs other words, `fallback` for an unknown code.

import { keyed } from "../i18n";

const words: Record<string, string> = {
  "party/not_host": "Eso solo lo puede hacer el anfitrión.",
  "party/not_guest": "Eso solo lo pueden hacer los invitados.",
  "party/locked": "Esta fiesta no admite invitados nuevos ahora mismo. Pide al anfitrión que abra la puerta y vuelve a intentarlo.",
  "party/full": "Esta fiesta está llena. Pregunta al anfitrión si queda algún sitio libre.",
  "party/ended": "Esta fiesta ha terminado.",
  "party/unknown_guest": "Ese invitado ya no está en la fiesta.",
  "party/unknown_pair_code": "Nadie de los que esperan tiene ese código de pareja. Revísalo con tu pareja.",
  "party/already_paired": "Ya estás en una mesa.",
  "party/same_guest": "Ese es tu propio código: tu pareja lo escribe en su teléfono.",
  "party/mixer_host_pairs": "Esta noche el anfitrión forma las parejas: te emparejará enseguida.",
  "party/nobody_to_pair": "Todavía no hay nadie esperando pareja.",
  "party/round_running": "Hay una ronda en marcha: esto puede esperar a que termine.",
  "party/rounds_off": "Primero activa las rondas con tiempo.",
  "party/bad_cap": "Ese nivel no está en este mazo.",
  "party/bad_value": "Una ronda dura de 10 segundos a 3 horas.",
  "party/not_paused": "Las mesas no están en pausa.",
  "party/already_paused": "Las mesas ya están en pausa.",
  "party/is_host": "Tienes el papel de anfitrión: pásaselo a otra persona antes de irte.",
  "party/nothing_due": "Todavía no toca nada.",
  "party/no_table": "Ahora mismo no estás en ninguna mesa.",
  "party/removed": "El anfitrión te quitó de esta fiesta.",
  "party/left": "Saliste de esta fiesta.",
  "join/failed": "No encontramos esta fiesta, o este enlace ya no funciona. Revisa el código con el anfitrión.",
  "limit/rate_limited": "Demasiados intentos en poco tiempo. Espera un minuto y vuelve a intentarlo.",
  "room/gone": "Esta fiesta ya no existe.",
  "lobby/unknown_deck": "Ese mazo no está disponible aquí.",
  "deck/invalid": "El archivo del mazo tiene problemas.",
  "deck/too_large": "El archivo del mazo es demasiado grande (como mucho 1 MiB).",
  "net/closed": "Ahora mismo no hay conexión: reconectando; luego vuelve a intentarlo.",
  "net/timeout": "El servidor no responde: reconectando; luego vuelve a intentarlo.",
};

const toHost: Record<string, string> = {
  "party/same_guest": "Elige a dos invitados distintos.",
  "party/already_paired": "Una de esas personas ya está en una mesa.",
  "party/is_host": "Este invitado tiene el papel de anfitrión: primero pásaselo a otra persona.",
  "party/nobody_to_pair": "Tiene que haber al menos dos invitados esperando para emparejarlos.",
};

const fallback = "Algo salió mal. Inténtalo de nuevo o recarga la página.";

export default { ...keyed("party:", words), ...keyed("party-host:", toHost), "party:fallback": fallback };
