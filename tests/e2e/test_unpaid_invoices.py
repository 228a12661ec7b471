"""An asset's invoices with money outstanding (``invoices(unpaid: true)``): what the home page
adds up as rent due and in arrears, read in one statement for every asset of a village."""

from __future__ import annotations

from datetime import date

from qianwan.bootstrap import Registry
from tests.e2e.conftest import Api, nodes
from tests.support import ACCOUNTANT, VILLAGE, leased_building

UNPAID = """
query ($village: String!, $unpaid: Boolean) {
  assets(villageCode: $village) { edges { node {
    assetCode
    invoices(first: 10, unpaid: $unpaid) { totalCount edges { node { invoiceNo outstanding } } }
  } } }
}
"""


def test_only_the_invoices_with_money_outstanding(seeded: Registry, api: Api) -> None:
    # given a bill paid in full, one paid in part and one not paid at all
    asset_id = leased_building(seeded.assets)
    for number in ("ZD-1", "ZD-2", "ZD-3"):
        seeded.assets.invoice_rent(
            asset_id,
            number,
            "1000",
            date(2024, 4, 1),
            date(2024, 4, 30),
            date(2024, 4, 1),
            date(2024, 6, 30),
            ACCOUNTANT,
        )
    seeded.assets.receive_rent(asset_id, "SK-1", "ZD-1", "1000", date(2024, 4, 9), ACCOUNTANT)
    seeded.assets.receive_rent(asset_id, "SK-2", "ZD-2", "400", date(2024, 4, 9), ACCOUNTANT)

    # when the invoices are read with and without the filter
    def invoices(unpaid: bool | None) -> dict[str, object]:
        found = nodes(api.data(UNPAID, {"village": VILLAGE, "unpaid": unpaid})["assets"])
        page = found[0]["invoices"]
        return {"total": page["totalCount"], "rows": nodes(page)}

    # then the filter keeps those with money outstanding, and counts them alone
    assert invoices(True) == {
        "total": 2,
        "rows": [
            {"invoiceNo": "ZD-2", "outstanding": "600.00"},
            {"invoiceNo": "ZD-3", "outstanding": "1000.00"},
        ],
    }
    assert invoices(False)["total"] == 3 and invoices(None)["total"] == 3
