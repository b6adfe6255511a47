"""OTLP sinks for the tracing benchmarks: accept spans and drop them. Argument 1: the OTLP/HTTP port (POST
/v1/traces, answers 200 with an empty ExportTraceServiceResponse); argument 2 (optional): an OTLP/gRPC port,
HTTP/2 cleartext with prior knowledge, answering every call with an empty message and grpc-status 0 (needs the
h2 module; skipped with a note when it is missing). Bound to 127.0.0.1 only."""
import http.server, socket, sys, threading


class Http(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *a):
        pass


def grpc_sink(port):
    try:
        import h2.config, h2.connection, h2.events
    except ImportError:
        print("otlp_sink: no h2 module, no gRPC sink", file=sys.stderr)
        return
    srv = socket.create_server(("127.0.0.1", port))

    def serve(conn):
        h2c = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False))
        h2c.initiate_connection()
        conn.sendall(h2c.data_to_send())
        while True:
            data = conn.recv(65536)
            if not data:
                return
            for ev in h2c.receive_data(data):
                if isinstance(ev, h2.events.DataReceived):
                    h2c.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                elif isinstance(ev, h2.events.StreamEnded):
                    h2c.send_headers(ev.stream_id, [(":status", "200"), ("content-type", "application/grpc")])
                    h2c.send_data(ev.stream_id, b"\x00\x00\x00\x00\x00")
                    h2c.send_headers(ev.stream_id, [("grpc-status", "0")], end_stream=True)
            conn.sendall(h2c.data_to_send())

    while True:
        c, _ = srv.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()


if len(sys.argv) > 2:
    threading.Thread(target=grpc_sink, args=(int(sys.argv[2]),), daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Http).serve_forever()
