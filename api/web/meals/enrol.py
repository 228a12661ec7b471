"""Enrolling an elder of a meal point's village (``enrolElder``): the name and ID number go to
the API as typed; an invalid ID number is refused beside the ID field, nothing recorded."""

from __future__ import annotations

from starlette.responses import Response

from api.web.forms import Choice, Field, blank_form, outcome, submitted, text_or_none
from api.web.labels import label
from api.web.meals.common import ERRORS, point_of, today
from api.web.pages import Web, see_other
from domain.meals.vocabulary import CATEGORIES

ENROL = f"""
mutation EnrolElder($villageCode: String!, $name: String!, $idNumber: String!,
                    $categories: [ElderCategoryInput!]!, $enrolledOn: Date!, $birthDate: Date,
                    $idempotencyKey: String) {{
  enrolElder(villageCode: $villageCode, name: $name, idNumber: $idNumber,
             categories: $categories, enrolledOn: $enrolledOn, birthDate: $birthDate,
             idempotencyKey: $idempotencyKey) {{
    elder {{ id }}
    {ERRORS}
  }}
}}
"""

FIELDS = [
    Field("name", "姓名", required=True, path="name"),
    Field("id_number", "身份证号码", required=True, path="idNumber", placeholder="18位，末位可为X"),
    Field(
        "birth_date",
        "出生日期",
        "date",
        path="birthDate",
        help="可不填；填写时须与身份证号码一致。",
    ),
    Field("enrolled_on", "登记日期", "date", required=True, path="enrolledOn"),
    Field(
        "category",
        "补贴类别",
        "select",
        required=True,
        path="category",
        choices=[Choice(code, label("MealCategory", code)) for code in CATEGORIES],
    ),
    Field("category_from", "类别起始日期", "date", required=True, path="validFrom"),
]


async def enrol_elder(web: Web) -> Response:
    point = await point_of(web)
    if web.request.method == "GET":
        day = today(web).isoformat()
        form = blank_form(FIELDS, {"enrolled_on": day, "category_from": day})
        return web.render("meals/enrol.html", {"point": point, "form": form})
    values = {f.name: web.field(f.name) for f in FIELDS}
    state = submitted(FIELDS, values, web.field("idempotency_key"))
    variables = {
        "villageCode": point["villageCode"],
        "name": text_or_none(values["name"]),
        "idNumber": text_or_none(values["id_number"]),
        "birthDate": text_or_none(values["birth_date"]),
        "enrolledOn": text_or_none(values["enrolled_on"]),
        "categories": [
            {
                "category": text_or_none(values["category"]),
                "validFrom": text_or_none(values["category_from"]),
            }
        ],
        "idempotencyKey": state.idempotency_key,
    }
    if outcome(state, await web.graphql(ENROL, variables), "enrolElder") is None:
        return web.render("meals/enrol.html", {"point": point, "form": state}, 400)
    return see_other(f"/meals/points/{point['id']}", done="recorded")
