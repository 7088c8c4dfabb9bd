"""Daily spaces on the server (issue 22): the store's blob, the service (create, seats,
moves, ticks), the socket ``/ws/daily`` and its fan-out, Web Push. The rules are
``game.daily``; nothing here decides what is allowed."""
