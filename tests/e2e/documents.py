"""GraphQL documents the e2e tests send, and the variables of a typical lease."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.support import VILLAGE

if TYPE_CHECKING:
    from tests.e2e.conftest import Api

ASSET_FIELDS = """
  id villageCode assetCode name kind areaM2 status rightsConfirmed bookValue
  invoicedToDate receivedToDate outstanding
"""
ERRORS = "errors { code field message }"

REGISTER_ASSET = f"""
mutation Register($village: String!, $code: String!, $bookValue: Decimal, $authority: String) {{
  registerAsset(villageCode: $village, assetCode: $code, name: "村部旧楼",
                kind: "collective_building", areaM2: "320.5", location: "乌村桥村12号",
                registeredOn: "2024-01-10", bookValue: $bookValue, authority: $authority) {{
    asset {{ {ASSET_FIELDS} }}
    {ERRORS}
  }}
}}
"""

CONFIRM_RIGHTS = f"""
mutation Confirm($id: ID!) {{
  confirmAssetRights(assetId: $id, certificateNo: "苏(2024)溧水区不动产权第0001号",
                     confirmedOn: "2024-02-01") {{
    asset {{ status rightsConfirmed }}
    {ERRORS}
  }}
}}
"""

APPROVE = f"""
mutation Approve($id: ID!, $resolution: ResolutionInput!, $authority: String) {{
  approveRevitalization(assetId: $id, matter: lease, resolution: $resolution,
                        authority: $authority) {{
    asset {{ status }}
    {ERRORS}
  }}
}}
"""

LIST_FOR_BIDDING = f"""
mutation List($id: ID!) {{
  listAssetForBidding(assetId: $id, exchange: "溧水区农村产权交易中心", listingNo: "LS-2024-01",
                      listedOn: "2024-03-05", reservePrice: "30000") {{
    asset {{ status }}
    {ERRORS}
  }}
}}
"""

SIGN_CONTRACT = f"""
mutation Sign($id: ID!, $contract: ContractInput!) {{
  signAssetContract(assetId: $id, contract: $contract) {{
    asset {{ status contracts {{ edges {{ node {{ contractNo mode startOn endOn totalValue
                                publicBidding resolutionReference renewals }} }} }} }}
    {ERRORS}
  }}
}}
"""

INVOICE_RENT = f"""
mutation Invoice($id: ID!) {{
  invoiceRent(assetId: $id, invoiceNo: "INV-2024-01", amount: "90000.00",
              issuedOn: "2024-04-01", dueOn: "2024-04-15",
              coversFrom: "2024-04-01", coversTo: "2027-03-31") {{
    recorded
    asset {{ invoicedToDate outstanding
             invoices {{ edges {{ node {{ invoiceNo amount outstanding }} }} }} }}
    {ERRORS}
  }}
}}
"""

RECEIVE_RENT = f"""
mutation Receive($id: ID!) {{
  receiveRent(assetId: $id, receiptNo: "R-2024-01", invoiceNo: "INV-2024-01",
              amount: "90000.00", receivedOn: "2024-04-10") {{
    recorded
    asset {{ {ASSET_FIELDS} invoices {{ edges {{ node {{ invoiceNo received outstanding }} }} }} }}
    {ERRORS}
  }}
}}
"""

HISTORY = """
query History($id: ID!) {
  history(aggregateId: $id) { aggregateId version type recordedAt actor authority payload }
}
"""

TRIAL_BALANCE = """
query Books($village: String!, $asOf: Date) {
  trialBalance(villageCode: $village, asOf: $asOf) {
    villageCode asOf chartVersion totalDebit totalCredit
    lines { accountCode accountName debit credit }
  }
}
"""


def resolution(votes_for: int = 21, members_total: int = 30) -> dict[str, Any]:
    return {
        "reference": "乌村桥村决〔2024〕3号",
        "meetingKind": "representatives_meeting",
        "heldOn": "2024-03-01",
        "membersTotal": members_total,
        "membersPresent": 28,
        "votesFor": votes_for,
    }


def lease(end_on: str = "2029-03-31", contract_no: str = "HT-001") -> dict[str, Any]:
    start_year, end_year = 2024, int(end_on[:4])
    schedule = [
        {
            "dueOn": f"{year}-04-01",
            "amount": "30000.00",
            "coversFrom": f"{year}-04-01",
            "coversTo": f"{year + 1}-03-31",
        }
        for year in range(start_year, min(end_year, start_year + 5))
    ]
    return {
        "contractNo": contract_no,
        "mode": "lease",
        "counterpartyName": "南京某文旅有限公司",
        "counterpartyKind": "organization",
        "signedOn": "2024-03-20",
        "startOn": "2024-04-01",
        "endOn": end_on,
        "rentSchedule": schedule,
        "publicBidding": True,
    }


def register_variables(code: str = "ZC-100", village: str = VILLAGE) -> dict[str, Any]:
    return {"village": village, "code": code, "bookValue": "120000"}


def refused_before_running(api: Api, document: str, variables: dict[str, Any] | None = None) -> str:
    """Send a request GraphQL itself refuses (a literal or a variable the schema does not
    accept): HTTP 400, no data, nothing recorded. Returns the first error's message."""
    assert api.token  # issued before counting: issuing it is an event of its own
    before = api.registry.store.last_notification_id()
    response = api.post(document, variables)
    body = response.json()
    assert response.status_code == 400 and "data" not in body, body
    assert api.registry.store.last_notification_id() == before, "something was recorded"
    message: str = body["errors"][0]["message"]
    return message
