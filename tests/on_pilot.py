"""The pilot plugin (tests/plugin_fixtures/pilot.py) as a core test's plan type: a test of the core that
needs some plan type uses this one, which only the SDK defines, rather than naming a built-in."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "plugin_fixtures"
EXAMPLE = FIXTURES / "pilot_templates" / "pilot.example.yaml"
"""The pilot's example input (东街社区, 2024): what ``plangen new pilot`` writes."""
OUTPUT_NAME = "东街社区-试点工作方案.docx"
"""The file ``plangen generate`` makes of :data:`EXAMPLE`."""
