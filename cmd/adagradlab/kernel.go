package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/adagradlab/adagradlab/pkg/kernel"
)

func init() {
	register(command{name: "kernel", summary: "run or install the Jupyter kernel (Go on yaegi)", run: runKernel})
	register(command{name: "kernel-exec", summary: "the kernel's cell runner (internal)", run: runKernelExec, hidden: true})
}

const kernelUsage = `Usage:
  adagradlab kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]
  adagradlab kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
  adagradlab kernel [--gophernotes] CONNECTION_FILE

install writes the kernelspec "adagradlab" (display name "Go (Adagrad)")
pointing at this binary; --user (the default) uses your Jupyter data folder,
--sys-prefix the active virtual environment, --prefix DIR DIR/share/jupyter.
--name gophernotes installs it under gophernotes' name, so that notebooks
written for gophernotes open with it, with gophernotes' display functions
(--gophernotes: display.HTML and the rest return the Data, and Display
shows it).
Jupyter itself runs "adagradlab kernel CONNECTION_FILE".
`

func runKernel(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usagef("missing install, uninstall or a connection file (see 'adagradlab kernel -h')")
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprint(stdout, kernelUsage)
		return errHelpShown
	case "install", "uninstall":
		return kernelInstall(args[0], args[1:], stdout, stderr)
	}
	opt := kernel.Options{}
	if args[0] == "--gophernotes" {
		opt.Gophernotes, args = true, args[1:]
		if len(args) == 0 {
			return usagef("missing the connection file after --gophernotes")
		}
	}
	if len(args) > 1 {
		return usagef("unexpected arguments after the connection file: %v", args[1:])
	}
	// Jupyter interrupts with a message (interrupt_mode "message"); a
	// SIGINT from a terminal is ignored rather than fatal, as ipykernel does.
	signal.Ignore(syscall.SIGINT)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	return kernel.Run(ctx, args[0], opt)
}

func kernelInstall(verb string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kernel "+verb, flag.ContinueOnError)
	user := fs.Bool("user", false, "the user's Jupyter data folder (default)")
	sysPrefix := fs.Bool("sys-prefix", false, "the active Python environment ($VIRTUAL_ENV or python3's sys.prefix)")
	prefix := fs.String("prefix", "", "install under `DIR`/share/jupyter/kernels")
	name := fs.String("name", kernel.SpecName, "the kernelspec's `NAME` (gophernotes: open gophernotes' notebooks with this kernel)")
	if err := parseFlags(fs, args, kernelUsage+"\nFlags:\n", stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	n := 0
	for _, b := range []bool{*user, *sysPrefix, *prefix != ""} {
		if b {
			n++
		}
	}
	if n > 1 {
		return usagef("choose one of --user, --sys-prefix and --prefix")
	}
	dir, err := kernel.Where{User: *user, SysPrefix: *sysPrefix, Prefix: *prefix}.KernelsDir()
	if err != nil {
		return err
	}
	if verb == "uninstall" {
		spec, err := kernel.Uninstall(dir, *name)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "removed kernelspec %s\n", spec)
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary: %w", err)
	}
	spec, err := kernel.Install(dir, exe, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, spec)
	return nil
}

// runKernelExec is the child that runs cells; the kernel starts it.
func runKernelExec(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		return usagef("kernel-exec takes no arguments; it is started by `adagradlab kernel`")
	}
	return kernel.RunCellRunner()
}
