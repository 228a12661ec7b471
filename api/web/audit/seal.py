"""The audit seal's state (``/audit/seal``): how many events the log holds and the seal has
sealed, its root, the latest signed checkpoint (size, root, when, the key that signed it) and
the latest run of ``qianwan verify`` with its result, as the run recorded it (a signed event of
the log, domain/audit/verification.py)."""

from __future__ import annotations

from starlette.responses import Response

from api.web.audit.names import VERIFY_RESULTS
from api.web.audit.present import local_time
from api.web.pages import Web

SEAL = """
query SealState {
  sealState {
    events sealed root checkpoints
    lastCheckpoint { treeSize root signedAt keyId publicKey }
    lastVerification {
      result ok recordedAt actor eventsChecked checkedThrough root sealed position
      notificationId detail checkpointsChecked checkpointsConsistent eventKeyIds
      checkpointKeyIds runs recordId
    }
  }
}
"""


async def seal_page(web: Web) -> Response:
    state = (await web.query(SEAL))["sealState"]
    zone = web.registry.clock.zone
    checkpoint = state["lastCheckpoint"]
    run = state["lastVerification"]
    context = {
        "state": state,
        "checkpoint": checkpoint,
        "checkpoint_when": local_time(checkpoint["signedAt"], zone) if checkpoint else "",
        "behind_checkpoint": state["sealed"] - checkpoint["treeSize"] if checkpoint else None,
        "run": run,
        "run_when": local_time(run["recordedAt"], zone) if run else "",
        "run_result": VERIFY_RESULTS.get(run["result"], run["result"]) if run else "",
        "unsealed": max(state["events"] - state["sealed"], 0),
    }
    return web.render("audit/seal.html", context)
