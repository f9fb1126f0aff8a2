# Sourced by the scripts that start servers on loopback.

# free_port: a port nobody holds now, for a server that must be told its port (a random
# one may be the local port of one of the many connections a test just made).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
