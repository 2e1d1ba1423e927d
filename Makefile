# h680-hil: everything a fresh Debian 12 machine with Python 3.11 needs, installed on demand.
#   make features   run the Gherkin features against the embedded default bench
#   make test       run the harness's own tests and the features (what CI runs)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
APT_PACKAGES := kamailio sip-tester tesseract-ocr tesseract-ocr-chi-sim fonts-wqy-microhei \
                tcpdump libpcap0.8 socat iproute2 poppler-utils \
                slapd ldap-utils chrony coturn openvpn
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

RUN ?= $(lastword $(sort $(wildcard reports/runs/*)))
# Feature scenarios run on this many benches side by side (pytest-xdist; each worker
# gets its own loopback block, see conftest.py).  WORKERS=0 runs them one by one.
WORKERS ?= 3
XDIST := $(if $(filter 0,$(WORKERS)),,-n $(WORKERS))

.PHONY: setup system-packages features test report clean-evidence

setup: system-packages $(VENV)/.installed

# apt packages are installed only when one is missing (dpkg says so).
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing apt packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	@touch $@

features: setup
	$(PYTEST) $(XDIST) features/

test: setup
	$(PYTEST) tests/
	$(PYTEST) $(XDIST) features/

# The newest run (or RUN=reports/runs/<id>): offline Allure HTML, then the certification report,
# which seals the bundle with its SHA-256 manifest (python -m reports verify $(RUN) checks it).
report: setup
	$(PY) -m reports allure $(RUN)
	$(PY) -m reports certify $(RUN)

clean-evidence:
	rm -rf reports/runs
