// Command seedinstall builds an embedded Vitrine installation of many
// assets in a data directory, fast (through the store, not HTTP): what
// `vitrine migrate`'s tests and measurements start from.
//
//	go run ./tools/seedinstall --data /tmp/big --assets 10000 --blobs 300
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/vitrine/vitrine/internal/testenv"
)

func main() {
	data := flag.String("data", "", "data directory to create (must not hold an installation)")
	assets := flag.Int("assets", 10000, "assets")
	blobs := flag.Int("blobs", 300, "distinct JPEG blobs the assets share")
	token := flag.String("token", "vtr_seedinstall_admin_token_0123", "the admin's API token")
	flag.Parse()
	if *data == "" || *assets < 1 || *blobs < 1 {
		fmt.Fprintln(os.Stderr, "usage: seedinstall --data DIR [--assets N] [--blobs N] [--token T]")
		os.Exit(2)
	}
	start := time.Now()
	if err := testenv.Embedded(context.Background(), *data, *assets, *blobs, *token); err != nil {
		fmt.Fprintln(os.Stderr, "seedinstall:", err)
		os.Exit(1)
	}
	fmt.Printf("seeded %d assets sharing %d blobs in %s in %s\n", *assets, *blobs, *data, time.Since(start).Round(time.Millisecond))
}
