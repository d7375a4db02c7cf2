def unit_name():
    return "widgets"
