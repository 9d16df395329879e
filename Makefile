# Dudao (督办). `make run` and `make test` install what a fresh Debian machine lacks,
# checking first so they stay fast when everything is there.

SHELL     := /bin/bash
SWIFT     ?= swift
SCHEDULES ?= Schedules
DUDAO     := .build/debug/dudao
SUDO      := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps build run test fuzz bench bench-deps install schedules clean

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
	@python3 -c 'import yaml' 2>/dev/null || { $(call PIP_INSTALL,pyyaml,python3-yaml); }
	@python3 -c 'import lunardate, ephem' 2>/dev/null || { $(call PIP_INSTALL,lunardate ephem,python3-lunardate python3-ephem); }
	@python3 -c 'import prometheus_client' 2>/dev/null || { $(call PIP_INSTALL,prometheus-client,python3-prometheus-client); }
	@# The console's browser test: headless Chromium, its driver, a CJK font for the screenshots, Selenium.
	@{ command -v chromium && command -v chromedriver && dpkg -s fonts-wqy-zenhei; } >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver fonts-wqy-zenhei; }
	@python3 -c 'import selenium' 2>/dev/null || { $(call PIP_INSTALL,selenium,python3-selenium); }
	@# The lists' tests write the workbooks a clerk uploads with openpyxl.
	@python3 -c 'import openpyxl' 2>/dev/null || { $(call PIP_INSTALL,openpyxl,python3-openpyxl); }
	@# The documents' tests: python-docx reads the Word files back, LibreOffice (headless) turns
	@# them into PDF, poppler's pdfinfo/pdftotext/pdftoppm measure and picture the pages.
	@python3 -c 'import docx' 2>/dev/null || { $(call PIP_INSTALL,python-docx,python3-docx); }
	@{ command -v soffice && command -v pdfinfo && command -v pdftoppm; } >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils; }
	@# The SMS fakes are proven against the platforms' official SDKs (PyPI only: no Debian package).
	@python3 -c 'import alibabacloud_dysmsapi20170525, tencentcloud.sms.v20210111' 2>/dev/null || python3 -m pip install -q alibabacloud-dysmsapi20170525==4.6.0 tencentcloud-sdk-python-sms==3.1.153 2>/dev/null || python3 -m pip install -q --break-system-packages alibabacloud-dysmsapi20170525==4.6.0 tencentcloud-sdk-python-sms==3.1.153
	@command -v pkg-config >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq pkg-config; }
	@dpkg -s libcurl4-openssl-dev >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libcurl4-openssl-dev; }
	@dpkg -s libyaml-dev >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libyaml-dev; }
	@# .xlsx import: ZIPFoundation inflates with zlib; Foundation's XMLParser runs on libxml2.
	@{ dpkg -s zlib1g-dev && dpkg -s libxml2; } >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq zlib1g-dev libxml2; }
	@# The PostgreSQL store's tests start their own server from Debian's postgresql-15.
	@test -x /usr/lib/postgresql/15/bin/postgres || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends postgresql-15; }
	@dpkg -s libsqlite3-dev >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsqlite3-dev; }
	@command -v openssl >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq openssl; }
	@command -v systemd-analyze >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq systemd; }

build: deps
	$(SWIFT) build --product dudao

## run: build, check the bundled Schedules, show the next 30 days' plan, then run the
## service in the foreground (with no Schedules/channels.yaml messages land in var/outbox/;
## state in var/; agencies' reply links served on http://127.0.0.1:8080; the first time it prints
## a one-time link to create the first admin of the console). Ctrl-C stops it cleanly.
run: build
	$(DUDAO) check --schedules $(SCHEDULES)
	@echo
	$(DUDAO) plan --schedules $(SCHEDULES)
	@echo
	$(DUDAO) run --schedules $(SCHEDULES) --state-dir var --listen 127.0.0.1:8080

## test: every test (Swift Testing), including the command line end to end, with a real
## SMTP server (aiosmtpd), a signature-checking webhook server and misbehaving peers on
## 127.0.0.1, and the console in headless Chromium (screenshots in .build/screenshots/); then each fuzz target for 30 s; then the simulated year from a release build
## of the service's rooms only (DUDAO_SERVICE_ONLY: the console's NIO is not built twice).
test: deps
	$(SWIFT) build --build-tests
	Tests/Servers/with-servers.sh $(SWIFT) test --skip-build
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30
	DUDAO_SERVICE_ONLY=1 $(SWIFT) build -c release --build-tests -Xswiftc -enable-testing
	DUDAO_SERVICE_ONLY=1 $(SWIFT) test -c release --skip-build -Xswiftc -enable-testing --filter SimulatedYearTests

## fuzz: libFuzzer over the importer, the deadline grammar, the schedule loader and the MIME
## encoder, FUZZ_SECONDS each (default 60), starting from Fuzz/corpus/; a crash stops it and
## leaves the input in .build-fuzz/crash-TARGET-*.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := deadline importer schedule mime
fuzz: deps
	@# gold warns once per sanitizer symbol; keep the build's real messages.
	set -o pipefail; $(SWIFT) build --scratch-path .build-fuzz --product DudaoFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING 2>&1 \
	  | grep -v "Cannot export local symbol"
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p .build-fuzz/corpus/$$t; \
	  echo "fuzz $$t for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan-suppressions.txt DUDAO_FUZZ_TARGET=$$t .build-fuzz/debug/DudaoFuzz -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	    -print_final_stats=0 -artifact_prefix=.build-fuzz/crash-$$t- .build-fuzz/corpus/$$t Fuzz/corpus/$$t 2>.build-fuzz/fuzz-$$t.log \
	    || { tail -40 .build-fuzz/fuzz-$$t.log; exit 1; }; \
	  tail -1 .build-fuzz/fuzz-$$t.log; \
	done

## bench: plan 100,000 generated items over one year, then deliver 1,000 emails and 1,000
## webhooks to local C sinks beside Postfix smtp-source, Python and Alertmanager 0.25; then
## the console's 台账 over 10,000 items and 500 concurrent replies; then the real commands
## at province scale (import, plan, check, run --once, the idle service's memory).
bench: deps bench-deps
	$(SWIFT) build -c release
	.build/release/DudaoBench
	@echo
	python3 Benchmarks/delivery_bench.py --connections 6
	@echo
	python3 Benchmarks/console_bench.py
	@echo
	python3 Benchmarks/real_path_bench.py

bench-deps:
	@command -v smtp-sink >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postfix; }
	@command -v prometheus-alertmanager >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq prometheus-alertmanager; }
	@command -v nginx >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light; }
	@python3 -c 'import requests' 2>/dev/null || { $(call PIP_INSTALL,requests,python3-requests); }
	@python3 -c 'import openpyxl' 2>/dev/null || { $(call PIP_INSTALL,openpyxl,python3-openpyxl); }

## install: the release binary, the systemd unit and (only when absent) /etc/dudao with
## the Schedules and Templates; DESTDIR and PREFIX as usual.
PREFIX ?= /usr/local
install:
	$(SWIFT) build -c release --product dudao
	install -D -m 0755 .build/release/dudao $(DESTDIR)$(PREFIX)/bin/dudao
	install -d $(DESTDIR)/etc/systemd/system $(DESTDIR)$(PREFIX)/share/doc/dudao
	sed 's|/usr/local/bin/dudao|$(PREFIX)/bin/dudao|; s|/usr/local/share/doc|$(PREFIX)/share/doc|' deploy/dudao.service > $(DESTDIR)/etc/systemd/system/dudao.service
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/dudao/README.md
	@if [ -d $(DESTDIR)/etc/dudao/Schedules ]; then echo "kept existing $(DESTDIR)/etc/dudao"; else \
	  install -d $(DESTDIR)/etc/dudao && cp -r Schedules Templates $(DESTDIR)/etc/dudao/ && \
	  cp deploy/channels.yaml $(DESTDIR)/etc/dudao/Schedules/channels.yaml.production && \
	  echo "installed sample configuration in $(DESTDIR)/etc/dudao: edit Schedules/agencies.yaml and channels.yaml"; fi
	@echo "next: put the SMTP password in /etc/dudao/smtp-password (0600), then: systemctl daemon-reload && systemctl enable --now dudao"

## schedules: re-import the seed list into Schedules/ (overwrites hand edits).
schedules: build
	$(DUDAO) import Tests/Fixtures/000_248a791eb898ee58.txt -o $(SCHEDULES)/zhengzhou-2024.yaml --force

clean:
	rm -rf .build
