"""Collective operating construction land entering the market (集体经营性建设用地入市).

uses.py: planned uses, land classes, ways of entry, listing methods. calendar.py: working days.
rules.py: the stages and the pure checks. model.py: the Parcel aggregate, with its market steps
in market.py and its proceeds in proceeds.py. application.py (with proceeds_commands.py and
service.py): the commands. errors.py: the refusals.
"""
