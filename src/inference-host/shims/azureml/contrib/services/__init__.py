"""ScoreGate shim package. Real installs make this a namespace package; this one is a plain
package that still lets a real installation win: it gathers the same-named folders from
sys.path and puts its own last, so a real submodule is found before the shim."""

import os as _os
import pkgutil as _pkgutil

__path__ = _pkgutil.extend_path(__path__, __name__)
_own = _os.path.dirname(_os.path.abspath(__file__))
__path__ = [p for p in __path__ if _os.path.abspath(p) != _own] + [_own]
