# Dudao (督办). `make run` and `make test` install what a fresh Debian machine lacks,
# checking first so they stay fast when everything is there.

SWIFT     ?= swift
SCHEDULES ?= Schedules
DUDAO     := .build/debug/dudao
SUDO      := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build run test bench bench-deps schedules clean

# pip into the active Python; Debian's own Python refuses plain pip (PEP 668), so fall
# back to its flag, then to the Debian package.
PIP_INSTALL = python3 -m pip install -q $(1) 2>/dev/null || python3 -m pip install -q --break-system-packages $(1) 2>/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(2); }

## deps: tools the build and tests use (Swift itself cannot come from apt: see README).
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: no Swift 6 toolchain on PATH; install it from swift.org (see README)"; exit 1; }
	@command -v iconv >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libc-bin; }
	@command -v python3 >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3 python3-pip; }
	@python3 -c 'import icalendar' 2>/dev/null || { $(call PIP_INSTALL,icalendar,python3-icalendar); }
	@python3 -c 'import aiosmtpd' 2>/dev/null || { $(call PIP_INSTALL,aiosmtpd,python3-aiosmtpd); }
	@dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libcurl4-openssl-dev; }
	@dpkg -s libsqlite3-dev >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsqlite3-dev; }
	@command -v openssl >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq openssl; }

build: deps
	$(SWIFT) build --product dudao

## run: build, check the bundled Schedules, show the next 30 days' plan, and send what is
## due today (with no Schedules/channels.yaml, into var/outbox/ as .eml and .json).
run: build
	$(DUDAO) check --schedules $(SCHEDULES)
	@echo
	$(DUDAO) plan --schedules $(SCHEDULES)
	@echo
	$(DUDAO) run --once --schedules $(SCHEDULES)

## test: every test (Swift Testing), including the command line end to end, with a real
## SMTP server (aiosmtpd) and a signature-checking webhook server on 127.0.0.1.
test: deps
	$(SWIFT) build --build-tests
	Tests/Servers/with-servers.sh $(SWIFT) test --skip-build

## bench: plan 100,000 generated items over one year, then deliver 1,000 emails and 1,000
## webhooks to local C sinks beside Postfix smtp-source, Python and Alertmanager 0.25.
bench: deps bench-deps
	$(SWIFT) build -c release
	.build/release/DudaoBench
	@echo
	python3 Benchmarks/delivery_bench.py --connections 6

bench-deps:
	@command -v smtp-sink >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postfix; }
	@command -v prometheus-alertmanager >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq prometheus-alertmanager; }
	@command -v nginx >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light; }
	@python3 -c 'import requests' 2>/dev/null || { $(call PIP_INSTALL,requests,python3-requests); }

## schedules: re-import the seed list into Schedules/ (overwrites hand edits).
schedules: build
	$(DUDAO) import Tests/Fixtures/000_248a791eb898ee58.txt -o $(SCHEDULES)/zhengzhou-2024.yaml --force

clean:
	rm -rf .build
