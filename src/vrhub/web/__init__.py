"""vrhub's web application (Django): dashboard, uploads, access control with audit, and the open API.

It imports the library; the library never imports it.
"""
