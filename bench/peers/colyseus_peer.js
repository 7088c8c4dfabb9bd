// The peer a host would otherwise pick: the same two-player room written with Colyseus
// 0.16. The room holds the same turn state as a Closeknit table reduced to its skeleton
// (version, whose turn, phase), refuses a move out of turn, acknowledges the mover and
// sends each seat its own view of the new state, as Closeknit does.
//
//   node bench/peers/colyseus_peer.js --port 9200     # room name "duet"
"use strict";

const { Server, Room } = require("@colyseus/core");
const { WebSocketTransport } = require("@colyseus/ws-transport");

class Duet extends Room {
  onCreate() {
    this.maxClients = 2;
    // No synchronised schema state: moves are sent as messages the moment they happen,
    // so no patch interval adds latency (that would flatter nobody).
    this.setPatchRate(null);
    this.version = 0;
    this.turn = 0;
    this.phase = "lobby";
    this.seats = [];
    this.onMessage("act", (client, message) => this.act(client, message));
    // A client asks for its view once its handlers are in place (a message sent in
    // onJoin can beat the client's onMessage registration).
    this.onMessage("sync", (client) => this.sendView(client, this.seats.indexOf(client)));
  }

  onJoin(client) {
    this.seats.push(client);
    if (this.seats.length === 2) {
      this.phase = "playing";
      this.version += 1;
    }
  }

  onLeave(client) {
    this.seats = this.seats.filter((seat) => seat !== client);
  }

  act(client, message) {
    const seat = this.seats.indexOf(client);
    const id = message && message.id;
    if (this.phase !== "playing") {
      client.send("error", { re: id, code: "lobby/not_ready" });
    } else if (seat !== this.turn) {
      client.send("error", { re: id, code: "turn/not_yours" });
    } else {
      this.version += 1;
      this.turn = 1 - this.turn;
      client.send("ack", { re: id, version: this.version });
      this.sendViews();
    }
  }

  sendViews() {
    this.seats.forEach((client, you) => this.sendView(client, you));
  }

  sendView(client, you) {
    const legal = this.phase === "playing" && you === this.turn ? ["act"] : [];
    client.send("state", {
      version: this.version,
      view: { version: this.version, you, phase: this.phase, turn: this.turn, legal },
    });
  }
}

function main() {
  const index = process.argv.indexOf("--port");
  const port = index > 0 ? Number(process.argv[index + 1]) : 2567;
  const server = new Server({
    transport: new WebSocketTransport({ perMessageDeflate: false, maxPayload: 16 * 1024 }),
    greet: false,
  });
  server.define("duet", Duet);
  server.listen(port, "127.0.0.1").then(() => {
    process.stdout.write(`colyseus peer listening on 127.0.0.1:${port}\n`);
  });
  // Colyseus installs its own SIGTERM/SIGINT handlers (graceful shutdown, then exit).
}

main();
