// peer-go: minimal WebSocket broadcast server on gorilla/websocket (benchmark peer,
// not part of Roundtable). Every text message is sent to every other connection.
// Usage: peer-go PORT
package main

import (
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"github.com/gorilla/websocket"
)

type message struct {
	from *client
	data []byte
}

type client struct {
	conn *websocket.Conn
	send chan []byte
}

type hub struct {
	clients    map[*client]bool
	register   chan *client
	unregister chan *client
	broadcast  chan message
}

func (h *hub) run() {
	for {
		select {
		case c := <-h.register:
			h.clients[c] = true
		case c := <-h.unregister:
			if h.clients[c] {
				delete(h.clients, c)
				close(c.send)
			}
		case m := <-h.broadcast:
			for c := range h.clients {
				if c == m.from {
					continue
				}
				select {
				case c.send <- m.data:
				default: // recipient too slow: drop it, as the gorilla chat example does
					delete(h.clients, c)
					close(c.send)
				}
			}
		}
	}
}

func (c *client) readLoop(h *hub) {
	defer func() {
		h.unregister <- c
		c.conn.Close()
	}()
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		if kind == websocket.TextMessage {
			h.broadcast <- message{from: c, data: data}
		}
	}
}

func (c *client) writeLoop() {
	defer c.conn.Close()
	for data := range c.send {
		if err := c.conn.WriteMessage(websocket.TextMessage, data); err != nil {
			return
		}
	}
	c.conn.WriteMessage(websocket.CloseMessage, []byte{})
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: peer-go PORT")
		os.Exit(2)
	}
	addr := "127.0.0.1:" + os.Args[1]
	h := &hub{
		clients:    map[*client]bool{},
		register:   make(chan *client),
		unregister: make(chan *client),
		broadcast:  make(chan message, 256),
	}
	go h.run()

	upgrader := websocket.Upgrader{
		ReadBufferSize:  4096,
		WriteBufferSize: 4096,
		CheckOrigin:     func(*http.Request) bool { return true },
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c := &client{conn: conn, send: make(chan []byte, 1024)}
		h.register <- c
		go c.writeLoop()
		go c.readLoop(h)
	})

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-sig; os.Exit(0) }()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("ready %s\n", os.Args[1])
	os.Stdout.Sync()
	log.Fatal(http.Serve(ln, nil))
}
