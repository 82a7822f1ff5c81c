#!/usr/bin/python3
"""lava-device.py - the device dictionary a LAVA server would give a job on a
"qemu" device, for running the job without a server (lava-run --device).
Usage: ci/lava/lava-device.py [--kvm] JOB.yaml > device.yaml

A lab's server renders its qemu device type with the device's own settings
and the job's context (arch, memory, netdevice, extra_options) and hands the
result to the worker; lava-run takes that result.  This writes the same
shape for an amd64 worker: options as LAVA's qemu device type puts them
(-nographic, a user-mode NIC, -m MEMORY, -monitor none), the context's
extra_options after them (so the job's -m and -cpu win), and -cpu host
-enable-kvm only with --kvm.  Without --kvm the worker is a TCG one: the job
must bring its own -accel tcg and -cpu (ci/lava/supernested-qemu.yaml does),
and no option names /dev/kvm."""
import sys

import yaml


def device(job, kvm):
    ctx = job.get("context", {})
    if ctx.get("arch") not in ("amd64", "x86_64"):
        sys.exit("lava-device.py: the job's context.arch must be amd64 (the image is x86_64)")
    options = (["-cpu host", "-enable-kvm"] if kvm else []) + [
        "-nographic",
        "-net nic,model=%s,macaddr=52:54:00:12:34:58 -net %s"
        % (ctx.get("model", "model=virtio").split("=", 1)[-1], ctx.get("netdevice", "user")),
        "-m %s" % ctx.get("memory", 512),
        "-monitor %s" % ctx.get("monitor", "none"),
    ]
    qemu = {"parameters": {
        "command": "qemu-system-x86_64",
        "boot_options": {"root": "/dev/sda1", "console": "ttyS0,115200", "boot_order": "c"},
        "options": options,
        "extra": [str(o) for o in ctx.get("extra_options", [])],
    }}
    return {
        "available_architectures": ["amd64", "x86_64"],
        "constants": {
            "posix": {"lava_test_sh_cmd": "/bin/sh", "lava_test_results_dir": "/lava-%s",
                      "lava_test_shell_file": "~/.bashrc"},
            "shutdown-message": "The system is going down for reboot NOW",
            "kernel-start-message": "Linux version [0-9]",
            "default-shell-prompt": "lava-test: # ",
            "spawn_maxread": "4092",
            # one try: a retried boot would hide a failed one
            "failure_retry": 1,
            "boot_retry": 1,
        },
        "parameters": {"pass": None},
        "actions": {
            "deploy": {
                "connections": {"serial": None, "lxc": None},
                "methods": {"image": {"parameters": {"guest": {
                    "size": 512, "interface": "ide", "driveid": "lavatest"}}}},
            },
            "boot": {
                "connections": {"serial": None, "ssh": None, "lxc": None},
                "methods": {"qemu": qemu},
            },
        },
        "timeouts": {
            "actions": {"apply-overlay-image": {"minutes": 2}, "http-download": {"minutes": 5},
                        "download-retry": {"minutes": 5}, "boot-qemu-image": {"minutes": 2},
                        "boot-image-retry": {"minutes": 2}, "lava-test-shell": {"minutes": 3}},
            "connections": {"lava-test-shell": {"seconds": 10}},
        },
    }


def main(argv):
    kvm = "--kvm" in argv
    paths = [a for a in argv if a != "--kvm"]
    if len(paths) != 1:
        sys.exit(__doc__.split("\n")[2])
    with open(paths[0]) as f:
        job = yaml.safe_load(f)
    yaml.safe_dump(device(job, kvm), sys.stdout, default_flow_style=False, sort_keys=False)


if __name__ == "__main__":
    main(sys.argv[1:])
