"""GraphQL documents of land entering the market (入市) the e2e tests send, and the variables
of the journey of ``tests/support.py`` (LAND_JOURNEY) step by step, as a client would send them."""

from __future__ import annotations

from typing import Any

from tests.e2e.documents import ERRORS
from tests.support import LAND_COST, LAND_NET, LAND_PRICE, PARCEL, VILLAGE

PARCEL_FIELDS = """
  id villageCode parcelCode areaM2 plannedUse landClass stage version
  way listingMethod reservePrice termYears termYearsMax retainedShare
  planVotesFor planMembersTotal price contractNo termStartOn termEndOn
"""
PROCEEDS_FIELDS = """
  contractPrice received outstanding levyBaseKind levyBase levyRate levyPolicyJurisdiction
  levyAssessed levyPaid levyUnpaid proposedDistribution distributed retained membersShare
  membersPaid membersUnpaid undistributed
"""
PAYLOAD = f"parcel {{ {PARCEL_FIELDS} }} {ERRORS}"

REGISTER_PARCEL = f"""
mutation Register($village: String!, $code: String!, $plannedUse: PlannedUse!,
                  $landClass: LandClass!,
                  $area: Decimal = "12000.5") {{
  registerParcel(villageCode: $village, parcelCode: $code, areaM2: $area,
                 location: "乌村桥村工业集中区3号地块", plannedUse: $plannedUse,
                 landClass: $landClass, certificateNo: "苏(2024)溧水区不动产权第0100号",
                 registeredOn: "2024-03-01") {{ {PAYLOAD} }}
}}
"""

ISSUE_PLANNING_CONDITIONS = f"""
mutation Planning($id: ID!, $issuedOn: Date = "2024-03-10") {{
  issuePlanningConditions(parcelId: $id, documentNo: "溧规条〔2024〕21号",
                          issuedBy: "南京市规划和自然资源局溧水分局", issuedOn: $issuedOn) {{
    {PAYLOAD}
  }}
}}
"""

DRAFT_ENTRY_PLAN = f"""
mutation Draft($id: ID!, $plan: EntryPlanInput!) {{
  draftEntryPlan(parcelId: $id, plan: $plan) {{ {PAYLOAD} }}
}}
"""

APPROVE_ENTRY_PLAN = f"""
mutation ApprovePlan($id: ID!, $resolution: ResolutionInput!, $authority: String) {{
  approveEntryPlan(parcelId: $id, resolution: $resolution, authority: $authority) {{
    {PAYLOAD}
  }}
}}
"""

FILE_ENTRY_PLAN = f"""
mutation File($id: ID!, $filedOn: Date = "2024-04-01") {{
  fileEntryPlan(parcelId: $id, filedWith: "溧水区人民政府", filingNo: "溧政备〔2024〕15号",
                filedOn: $filedOn) {{ {PAYLOAD} }}
}}
"""

LIST_PARCEL = f"""
mutation List($id: ID!, $listedOn: Date = "2024-04-17") {{
  listParcel(parcelId: $id, exchange: "南京市公共资源交易中心溧水分中心",
             listingNo: "LSJT2024-009", listedOn: $listedOn) {{ {PAYLOAD} }}
}}
"""

AWARD_PARCEL = f"""
mutation Award($id: ID!, $price: Decimal!) {{
  awardParcel(parcelId: $id, winnerName: "南京某智能制造有限公司", winnerKind: organization,
              price: $price, awardedOn: "2024-05-20") {{ {PAYLOAD} }}
}}
"""

SIGN_PARCEL_CONTRACT = f"""
mutation Sign($id: ID!, $signedOn: Date = "2024-05-28") {{
  signParcelContract(parcelId: $id, contractNo: "LSRS-2024-003", signedOn: $signedOn,
                     termStartOn: "2024-06-01") {{ {PAYLOAD} }}
}}
"""

RECEIVE_INSTALLMENT = f"""
mutation Receive($id: ID!, $receiptNo: String!, $amount: Decimal!, $receivedOn: Date!) {{
  receiveInstallment(parcelId: $id, receiptNo: $receiptNo, amount: $amount,
                     receivedOn: $receivedOn) {{
    recorded parcel {{ stage proceeds {{ received outstanding }} }} {ERRORS}
  }}
}}
"""

ASSESS_LEVY = f"""
mutation Assess($id: ID!, $cost: Decimal) {{
  assessLevy(parcelId: $id, noticeNo: "溧调节金〔2024〕5号", assessedOn: "2024-09-20",
             deductibleCost: $cost) {{
    parcel {{ stage proceeds {{ levyBaseKind levyBase levyRate levyAssessed }} }} {ERRORS}
  }}
}}
"""

PAY_LEVY = f"""
mutation PayLevy($id: ID!) {{
  payLevy(parcelId: $id, receiptNo: "FS-2024-0931", paidOn: "2024-09-30") {{ {PAYLOAD} }}
}}
"""

REGISTER_USE_RIGHT = f"""
mutation UseRight($id: ID!) {{
  registerUseRight(parcelId: $id, certificateNo: "苏(2024)溧水区不动产权第0200号",
                   registeredOn: "2024-10-15") {{ {PAYLOAD} }}
}}
"""

PROPOSE_DISTRIBUTION = f"""
mutation Propose($id: ID!, $amount: Decimal!) {{
  proposeDistribution(parcelId: $id, amount: $amount, proposedOn: "2024-10-20") {{
    parcel {{ stage proceeds {{ proposedDistribution distributed }} }} {ERRORS}
  }}
}}
"""

APPROVE_DISTRIBUTION = f"""
mutation ApproveDistribution($id: ID!, $resolution: ResolutionInput!) {{
  approveDistribution(parcelId: $id, resolution: $resolution) {{
    parcel {{ stage proceeds {{ distributed retained membersShare }} }} {ERRORS}
  }}
}}
"""

DISCLOSE_DISTRIBUTION = f"""
mutation Disclose($id: ID!) {{
  discloseDistribution(parcelId: $id, disclosedOn: "2024-11-01",
                       reference: "乌村桥村村务公开栏〔2024〕11期") {{ {PAYLOAD} }}
}}
"""

PAY_MEMBERS = f"""
mutation PayMembers($id: ID!, $batchNo: String!, $amount: Decimal!, $members: Int!,
                    $paidOn: Date!) {{
  payMembers(parcelId: $id, batchNo: $batchNo, amount: $amount, membersCount: $members,
             paidOn: $paidOn) {{
    recorded parcel {{ stage proceeds {{ membersPaid membersUnpaid }} }} {ERRORS}
  }}
}}
"""

PARCEL_WITH_PROCEEDS = f"""
query Parcel($id: ID!) {{
  parcel(id: $id) {{
    {PARCEL_FIELDS}
    village {{ code name }}
    proceeds {{ {PROCEEDS_FIELDS} }}
    payments {{ edges {{ node {{ kind reference amount paidOn channel membersCount }} }} }}
  }}
}}
"""


def register_variables(
    code: str = PARCEL,
    planned_use: str = "industrial",
    land_class: str = "collective_construction_land",
    village: str = VILLAGE,
) -> dict[str, Any]:
    return {"village": village, "code": code, "plannedUse": planned_use, "landClass": land_class}


def plan(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "way": "grant",
        "listingMethod": "listing",
        "reservePrice": "2000000",
        "termYears": 50,
        "retainedShare": "0.30",
        "draftedOn": "2024-03-15",
    }
    return {**values, **changes}


def resolution(
    votes_for: int = 21,
    held_on: str = "2024-03-25",
    reference: str = "乌村桥村决〔2024〕7号",
    **changes: Any,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "reference": reference,
        "meetingKind": "representatives_meeting",
        "heldOn": held_on,
        "membersTotal": 30,
        "membersPresent": 28,
        "votesFor": votes_for,
    }
    return {**values, **changes}


DISTRIBUTION_MEETING = resolution(held_on="2024-10-28", reference="乌村桥村决〔2024〕9号")

# The journey of tests/support.py (LAND_JOURNEY) as mutations: (payload field, document,
# variables besides the parcel id), in order.
JOURNEY: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("issuePlanningConditions", ISSUE_PLANNING_CONDITIONS, {}),
    ("draftEntryPlan", DRAFT_ENTRY_PLAN, {"plan": plan()}),
    ("approveEntryPlan", APPROVE_ENTRY_PLAN, {"resolution": resolution()}),
    ("fileEntryPlan", FILE_ENTRY_PLAN, {}),
    ("listParcel", LIST_PARCEL, {}),
    ("awardParcel", AWARD_PARCEL, {"price": LAND_PRICE}),
    ("signParcelContract", SIGN_PARCEL_CONTRACT, {}),
    (
        "receiveInstallment",
        RECEIVE_INSTALLMENT,
        {"receiptNo": "SK-001", "amount": "1300000.00", "receivedOn": "2024-06-10"},
    ),
    (
        "receiveInstallment",
        RECEIVE_INSTALLMENT,
        {"receiptNo": "SK-002", "amount": "1300000.05", "receivedOn": "2024-09-10"},
    ),
    ("assessLevy", ASSESS_LEVY, {"cost": LAND_COST}),
    ("payLevy", PAY_LEVY, {}),
    ("registerUseRight", REGISTER_USE_RIGHT, {}),
    ("proposeDistribution", PROPOSE_DISTRIBUTION, {"amount": LAND_NET}),
    ("approveDistribution", APPROVE_DISTRIBUTION, {"resolution": DISTRIBUTION_MEETING}),
    ("discloseDistribution", DISCLOSE_DISTRIBUTION, {}),
    (
        "payMembers",
        PAY_MEMBERS,
        {"batchNo": "FF-2024-01", "amount": "1000000.00", "members": 400, "paidOn": "2024-11-15"},
    ),
    (
        "payMembers",
        PAY_MEMBERS,
        {"batchNo": "FF-2024-02", "amount": "540000.03", "members": 216, "paidOn": "2024-11-20"},
    ),
)
